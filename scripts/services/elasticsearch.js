/**
 * A throwaway single-node Elasticsearch from the integ-test zip (Maven Central): no bundled JDK and
 * only core modules (no analysis-common, no rest-root: GET / answers 405, health is the probe). The
 * zip is cached in ~/.cache/voc-bank/; every start unpacks it into a fresh temp dir.
 */
import { Buffer } from 'node:buffer';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import {
  cacheDir,
  findOnPath,
  freePort,
  log,
  registerStarted,
  stopService,
  tail,
  waitFor,
} from './process.js';

export const ES_VERSION = '8.19.21';
const ARTIFACT = `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip`;
const ZIP = `elasticsearch-${ES_VERSION}.zip`;
const MAVEN_URL = `https://repo1.maven.org/maven2/org/elasticsearch/distribution/integ-test-zip/elasticsearch/${ES_VERSION}/${ZIP}`;
const USER = 'voc-es';
const READY_TIMEOUT_MS = 120_000;

/**
 * True when an Elasticsearch cluster answers `_cluster/health` at `url`; with `yellow`, only once
 * its health is at least yellow (the call answers 408 until then).
 */
export function elasticsearchAnswers(url, { timeoutMs = 2000, yellow = false } = {}) {
  return new Promise((resolve) => {
    let target;
    try {
      target = new URL(
        yellow ? '/_cluster/health?wait_for_status=yellow&timeout=1s' : '/_cluster/health',
        url,
      );
    } catch {
      resolve(false);
      return;
    }
    const headers = {};
    if (target.username !== '') {
      const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
      headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    }
    const get = target.protocol === 'https:' ? https.get : http.get;
    const req = get(target, { headers, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(res.statusCode === 200 && body.includes('"cluster_name"')));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Path of the cached zip (or VOC_ES_ZIP), fetching it with Maven, else plain HTTPS, the first time. */
export async function elasticsearchZip() {
  if (process.env.VOC_ES_ZIP) return process.env.VOC_ES_ZIP;
  const dir = cacheDir();
  const zip = path.join(dir, ZIP);
  if (fs.existsSync(zip)) return zip;
  fs.mkdirSync(dir, { recursive: true });
  // Fetched into a staging dir and renamed: an interrupted download never looks cached.
  const staging = fs.mkdtempSync(path.join(dir, 'download-'));
  try {
    const staged = path.join(staging, ZIP);
    if (findOnPath('mvn') !== undefined) {
      log(`fetching ${ARTIFACT} with Maven into ${dir}`);
      const args = [
        '-q',
        '-B',
        '-Dstyle.color=never',
        'dependency:copy',
        `-Dartifact=${ARTIFACT}`,
        `-DoutputDirectory=${staging}`,
      ];
      // Output only on failure (-q still prints colour codes); no hsperfdata dir left by its JVM.
      const env = { ...process.env, MAVEN_OPTS: `${process.env.MAVEN_OPTS ?? ''} -XX:-UsePerfData`.trim() };
      const mvn = spawnSync('mvn', args, { env, encoding: 'utf8' });
      if (mvn.status !== 0) {
        process.stderr.write(`${mvn.stdout ?? ''}${mvn.stderr ?? ''}`);
        log('Maven could not fetch it; downloading directly');
      }
    }
    if (!fs.existsSync(staged)) await download(MAVEN_URL, staged);
    const expected = await publishedSha1();
    const actual = createHash('sha1').update(fs.readFileSync(staged)).digest('hex');
    if (expected !== undefined && actual !== expected) {
      throw new Error(`${ZIP}: SHA-1 ${actual} differs from the published ${expected}; not caching it`);
    }
    fs.renameSync(staged, zip);
    return zip;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

async function download(url, file) {
  log(`downloading ${url}`);
  const response = await fetch(url);
  if (!response.ok || response.body === null) throw new Error(`GET ${url}: HTTP ${response.status}`);
  const out = fs.createWriteStream(file);
  for await (const chunk of response.body) {
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

/** The published SHA-1: from the local Maven repository when Maven fetched it, else Maven Central. */
async function publishedSha1() {
  const repo = `.m2/repository/org/elasticsearch/distribution/integ-test-zip/elasticsearch/${ES_VERSION}`;
  try {
    return fs
      .readFileSync(path.join(os.homedir(), repo, `${ZIP}.sha1`), 'utf8')
      .trim()
      .slice(0, 40);
  } catch {
    // Maven did not fetch it
  }
  try {
    const response = await fetch(`${MAVEN_URL}.sha1`);
    return response.ok ? (await response.text()).trim().slice(0, 40) : undefined;
  } catch {
    return undefined;
  }
}

function unpack(zip, dir) {
  if (findOnPath('unzip') !== undefined) {
    if (spawnSync('unzip', ['-q', zip, '-d', dir], { stdio: 'inherit' }).status === 0) return;
    throw new Error(`unzip ${zip} failed`);
  }
  // No unzip: Python's zipfile, which drops the execute bits the launch scripts need.
  if (spawnSync('python3', ['-m', 'zipfile', '-e', zip, dir], { stdio: 'inherit' }).status !== 0) {
    throw new Error(`cannot unpack ${zip}: install unzip (apt-get install unzip)`);
  }
  const bin = path.join(dir, `elasticsearch-${ES_VERSION}`, 'bin');
  for (const name of fs.readdirSync(bin)) fs.chmodSync(path.join(bin, name), 0o755);
}

/**
 * The launch script's Java version check still creates /tmp/hsperfdata_<user>; removed once empty
 * (rmdir: another JVM of that user keeps it).
 */
export function removeJvmLeftovers() {
  const user = runAsUser() ?? os.userInfo().username;
  try {
    fs.rmdirSync(`/tmp/hsperfdata_${user}`);
  } catch {
    // in use, or not there
  }
}

/** ES_JAVA_HOME, else JAVA_HOME, else the Debian OpenJDK 17 (8.19 runs on 17). */
export function javaHome() {
  for (const home of [
    process.env.ES_JAVA_HOME,
    process.env.JAVA_HOME,
    '/usr/lib/jvm/java-17-openjdk-amd64',
  ]) {
    if (home && fs.existsSync(path.join(home, 'bin', 'java'))) return home;
  }
  throw new Error(
    'no JDK for Elasticsearch (the integ-test zip bundles none): install openjdk-17-jdk-headless ' +
      'or set ES_JAVA_HOME (or JAVA_HOME) to a JDK 17 or later',
  );
}

/** As root: the unprivileged user Elasticsearch runs as (it refuses root), created once. */
function runAsUser() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const exists = () => spawnSync('id', ['-u', USER], { stdio: 'ignore' }).status === 0;
  if (!exists()) {
    const shell = fs.existsSync('/usr/sbin/nologin') ? '/usr/sbin/nologin' : '/bin/false';
    spawnSync('useradd', ['-r', '-M', '-s', shell, USER], { stdio: 'inherit' });
    if (!exists())
      throw new Error(`cannot create the user ${USER} that Elasticsearch must run as (it refuses root)`);
  }
  if (findOnPath('runuser') === undefined)
    throw new Error(`running as root needs runuser (util-linux) to start as ${USER}`);
  return USER;
}

/**
 * Unpacks and starts Elasticsearch on `port` (default: a free port) and waits for yellow health.
 * The process group is detached, so a Ctrl-C meant for the test command does not kill it half-way;
 * stopService() ends it. Throws with the tail of its log when it does not come up.
 */
export async function startElasticsearch({ port, reuseDir } = {}) {
  const zip = await elasticsearchZip();
  const java = javaHome();
  const user = runAsUser();
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    const httpPort = port ?? (await freePort());
    // reuseDir restarts a node stopped with { keepDir: true } on its own data (fault-injection tests).
    const dir = reuseDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'voc-es-'));
    if (reuseDir === undefined) {
      unpack(zip, dir);
      for (const sub of ['data', 'logs', 'tmp']) fs.mkdirSync(path.join(dir, sub));
      if (user !== undefined) spawnSync('chown', ['-R', `${user}:`, dir], { stdio: 'inherit' });
    }
    const settings = {
      'cluster.name': 'voc-test',
      'node.name': 'voc-test',
      'discovery.type': 'single-node',
      'network.host': '127.0.0.1',
      'http.port': String(httpPort),
      'path.data': path.join(dir, 'data'),
      'path.logs': path.join(dir, 'logs'),
      'xpack.security.enabled': 'false',
      'cluster.routing.allocation.disk.threshold_enabled': 'false',
      // Test clean-up may delete `<prefix>*`; a throwaway cluster need not insist on exact names.
      'action.destructive_requires_name': 'false',
    };
    const esArgs = Object.entries(settings).flatMap(([key, value]) => ['-E', `${key}=${value}`]);
    const executable = path.join(dir, `elasticsearch-${ES_VERSION}`, 'bin', 'elasticsearch');
    const [command, args] =
      user === undefined ? [executable, esArgs] : ['runuser', ['-u', user, '--', executable, ...esArgs]];
    const consoleLog = path.join(dir, 'console.log');
    const out = fs.openSync(consoleLog, 'a');
    const child = spawn(command, args, {
      cwd: dir,
      detached: true,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        ES_JAVA_HOME: java,
        // -UsePerfData: no hsperfdata files left in /tmp by the server and launcher JVMs.
        ES_JAVA_OPTS: '-Xms512m -Xmx512m -XX:-UsePerfData',
        CLI_JAVA_OPTS: '-XX:-UsePerfData',
        ES_TMPDIR: path.join(dir, 'tmp'),
      },
    });
    fs.closeSync(out);
    const url = `http://127.0.0.1:${httpPort}`;
    const handle = registerStarted({
      kind: 'elasticsearch',
      url,
      pgid: child.pid,
      dir,
      signature: dir,
      child,
    });
    handle.afterStop = removeJvmLeftovers;
    log(`starting Elasticsearch ${ES_VERSION} on ${url} (pid ${child.pid}, ${dir})`);
    const failure = await waitFor(
      () => elasticsearchAnswers(url, { timeoutMs: 3000, yellow: true }),
      child,
      READY_TIMEOUT_MS,
      'Elasticsearch',
    );
    if (failure === undefined) {
      log(`Elasticsearch ready at ${url} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return handle;
    }
    const logTail = tail(consoleLog);
    await stopService(handle);
    if (port === undefined && attempt < 3 && /BindException|Address already in use/.test(logTail)) {
      log(`port ${httpPort} was taken meanwhile; trying another`);
      continue;
    }
    throw new Error(
      `Elasticsearch did not start: ${failure}\n--- last lines of ${consoleLog} ---\n${logTail}`,
    );
  }
}
