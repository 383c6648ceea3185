/* global ResizeObserver */
// The trend chart: one bar per period; a click on a bar narrows the search to that period. With a
// comparison, the previous period's counts are drawn beside it (bucket by bucket).
let chart;
let clickHandler = () => {};

function instance() {
  if (!window.echarts) return undefined;
  if (chart) return chart;
  const el = document.getElementById('chart');
  chart = window.echarts.init(el);
  // The chart follows its box (sidebar, open conversation, narrow screens), not only the window.
  new ResizeObserver(() => chart.resize()).observe(el);
  chart.on('click', (e) => {
    if (e.seriesIndex === 0) clickHandler(e.dataIndex);
  });
  return chart;
}

/** buckets: [{key, count}]; previous: the same for the period before, or undefined. */
export function renderChart(buckets, { previous, onBar, title = '匹配会话趋势(点击柱子查看该时段)' } = {}) {
  const c = instance();
  if (!c) return;
  clickHandler = (i) => {
    const bucket = buckets[i];
    if (bucket && onBar) onBar(bucket);
  };
  const series = [
    {
      name: '本期',
      type: 'bar',
      cursor: 'pointer',
      itemStyle: { color: '#2680c2' },
      data: buckets.map((b) => b.count),
    },
  ];
  if (previous)
    series.push({
      name: '上期',
      type: 'bar',
      itemStyle: { color: '#b8c4ce' },
      data: buckets.map((_, i) => previous[i]?.count ?? 0),
    });
  c.setOption(
    {
      // no growing bars: a chart that is clickable the moment it shows
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: previous ? { top: 0, right: 10, data: ['本期', '上期'] } : undefined,
      grid: { left: 40, right: 16, top: 34, bottom: 30 },
      title: { text: title, textStyle: { fontSize: 13 } },
      xAxis: { type: 'category', data: buckets.map((b) => b.key) },
      yAxis: { type: 'value', minInterval: 1 },
      series,
    },
    true,
  );
}

export function clearChart() {
  chart?.clear();
}
