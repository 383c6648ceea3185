// Text with marks from several layers (search matches, label evidence) that may overlap: the text
// is cut at every span boundary and each piece is wrapped in the marks of every layer covering it,
// so a sentence with a label still shows its search words.

export function esc(text) {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

/** layers: [{ cls, spans: [[start, end), ...] }, ...]; the first layer is the outermost mark. */
export function paint(text, layers) {
  const cuts = new Set([0, text.length]);
  for (const { spans } of layers)
    for (const [s, e] of spans) {
      cuts.add(Math.max(0, Math.min(text.length, s)));
      cuts.add(Math.max(0, Math.min(text.length, e)));
    }
  const points = [...cuts].sort((a, b) => a - b);
  let out = '';
  for (let i = 0; i + 1 < points.length; i++) {
    const [s, e] = [points[i], points[i + 1]];
    let html = esc(text.slice(s, e));
    for (let l = layers.length - 1; l >= 0; l--) {
      const { cls, spans } = layers[l];
      if (spans.some(([a, b]) => a <= s && e <= b)) html = `<mark class="${cls}">${html}</mark>`;
    }
    out += html;
  }
  return out;
}
