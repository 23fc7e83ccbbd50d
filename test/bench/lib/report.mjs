// Formatting shared by the benchmarks: the machine line, markdown tables, percentiles.
import { cpus, freemem, loadavg, totalmem } from 'node:os';

/** One line saying what the numbers were measured on, and how busy it was. */
export function machineLine() {
  const gib = (bytes) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return (
    `Machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), ` +
    `${gib(totalmem())} RAM (${gib(freemem())} free), Node ${process.version}, ` +
    `load average ${load}`
  );
}

/** The 1-minute load average, to print beside noisy timings. */
export function load1() {
  return loadavg()[0].toFixed(2);
}

/** Prints a markdown table: `header` is a list of column titles, `rows` lists of cells. */
export function printTable(header, rows, align) {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map((_, i) => (align?.[i] === 'l' ? '---' : '---:')).join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

/** Nearest-rank percentile of an ascending-sorted list. */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
export const ratio = (x) => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(2));

/** Median of the known values (undefined ones skipped), or undefined if there are none. */
export function median(values) {
  const known = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  return known.length === 0 ? undefined : known[Math.floor((known.length - 1) / 2)];
}
