// Numbers as the screens and the plain lines print them. Pure, shared by every screen and writer.
import prettyBytes from 'pretty-bytes';
import prettyMs from 'pretty-ms';

// Durations and sizes come from pretty-ms and pretty-bytes (decimal units, as `docker pull` counts its MB).
export function formatDuration(ms: number): string {
  return prettyMs(ms);
}

export function formatBytes(bytes: number): string {
  return prettyBytes(bytes);
}

/** A duration that may be unknown (an old journal without it). */
export function formatMaybeDuration(ms: number | null): string {
  return ms === null ? '?' : formatDuration(ms);
}

/** HH:MM:SS in the machine's time zone, as `docker logs` users read their server's clock. */
export function clockTime(ts: number): string {
  const d = new Date(ts);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Keep the last `max` characters of a long path or ref, marking the cut. */
export function tail(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
}
