/**
 * Slack's date tokens (`<!date^ts^{date_short_pretty} at {time}|fallback>`) as a reader sees them, in the
 * reader's time zone. The page runs this very function in the browser (its source is embedded in the page),
 * so it must stay self-contained: no imports, no references to anything outside its body.
 */
export interface DateTokenOptions {
  /** Milliseconds since the epoch, for today/yesterday/tomorrow and {ago}. Default: now. */
  now?: number;
  /** An IANA zone; default: the runtime's (the viewer's, in a browser). */
  timeZone?: string;
  /** 12-hour clock with AM/PM (Slack's default for English), or 24-hour. */
  hour12?: boolean;
}

export function formatDateToken(seconds: number, format: string, options: DateTokenOptions = {}): string {
  const MONTHS = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ];
  const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const ms = seconds * 1000;
  const now = options.now ?? Date.now();
  const hour12 = options.hour12 ?? true;
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone: options.timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const partsOf = (at: number) => {
    const found: Record<string, string> = {};
    for (const part of formatter.formatToParts(new Date(at))) found[part.type] = part.value;
    return {
      year: Number(found.year),
      month: Number(found.month),
      day: Number(found.day),
      weekday: DAYS.findIndex((name) => name.startsWith(found.weekday ?? '')),
      hour: Number(found.hour) % 24,
      minute: Number(found.minute),
      second: Number(found.second),
    };
  };
  const date = partsOf(ms);
  const today = partsOf(now);
  const dayNumber = (p: { year: number; month: number; day: number }) =>
    Date.UTC(p.year, p.month - 1, p.day) / 86_400_000;
  const ordinal = (n: number) => {
    const tens = n % 100;
    if (tens >= 11 && tens <= 13) return `${n}th`;
    return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
  };
  const two = (n: number) => String(n).padStart(2, '0');
  const monthName = MONTHS[date.month - 1] ?? '';
  const long = `${monthName} ${ordinal(date.day)}, ${date.year}`;
  const short = `${monthName.slice(0, 3)} ${date.day}, ${date.year}`;
  const relative = () => {
    const diff = dayNumber(date) - dayNumber(today);
    return diff === 0 ? 'today' : diff === -1 ? 'yesterday' : diff === 1 ? 'tomorrow' : undefined;
  };
  const clock = (secs: boolean) => {
    const tail = secs ? `:${two(date.second)}` : '';
    if (!hour12) return `${two(date.hour)}:${two(date.minute)}${tail}`;
    return `${date.hour % 12 || 12}:${two(date.minute)}${tail} ${date.hour < 12 ? 'AM' : 'PM'}`;
  };
  const ago = () => {
    const delta = now - ms;
    const abs = Math.abs(delta);
    const units: [number, string][] = [
      [365 * 86_400_000, 'year'],
      [30 * 86_400_000, 'month'],
      [86_400_000, 'day'],
      [3_600_000, 'hour'],
      [60_000, 'minute'],
    ];
    const unit = units.find(([size]) => abs >= size);
    if (!unit) return delta >= 0 ? 'a few seconds ago' : 'in a few seconds';
    const count = Math.floor(abs / unit[0]);
    const words = `${count} ${unit[1]}${count === 1 ? '' : 's'}`;
    return delta >= 0 ? `${words} ago` : `in ${words}`;
  };
  const tokens: Record<string, () => string> = {
    date_num: () => `${date.year}-${two(date.month)}-${two(date.day)}`,
    date: () => long,
    date_short: () => short,
    date_long: () => `${DAYS[date.weekday] ?? ''}, ${long}`,
    date_pretty: () => relative() ?? long,
    date_short_pretty: () => relative() ?? short,
    date_long_pretty: () => relative() ?? `${DAYS[date.weekday] ?? ''}, ${long}`,
    time: () => clock(false),
    time_secs: () => clock(true),
    ago,
  };
  // As Slack's docs write them: "today", "yesterday", "tomorrow", lower case wherever they stand.
  return format.replace(/\{(\w+)\}/g, (whole: string, name: string) => tokens[name]?.() ?? whole);
}
