// Figures as a person reads them: durations in the unit that fits, rates as percentages.

/** "850 ms", "4.2 s", "3 min 12 s", "2 h 5 min", "1 d 3 h". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const s = ms / 1_000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const whole = Math.round(s);
  if (whole < 3_600) return `${Math.floor(whole / 60)} min${whole % 60 ? ` ${whole % 60} s` : ""}`;
  const minutes = Math.round(whole / 60);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
  const hours = Math.round(minutes / 60);
  return `${Math.floor(hours / 24)} d${hours % 24 ? ` ${hours % 24} h` : ""}`;
}

/** "97.5%", "100%", "0%": one decimal only where it says something. */
export function formatPercent(rate: number): string {
  const pct = rate * 100;
  const text = pct === 100 || pct === 0 || Number.isInteger(pct) ? String(pct) : pct >= 99.95 ? "99.9" : pct.toFixed(1);
  return `${text}%`;
}

/** A time relative to now: "in 24 min", "3 h ago". */
export function relativeTo(at: Date, now: Date): string {
  const diff = at.getTime() - now.getTime();
  if (Math.abs(diff) < 1_000) return "now";
  return diff > 0 ? `in ${formatDuration(diff)}` : `${formatDuration(-diff)} ago`;
}
