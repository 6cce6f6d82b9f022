/** The "slower than usual" line of instance messages and end replies. Pure. */
import type { Slowness } from '../../following/usual';
import { humanDuration } from '../../format';
import { type Markup, md } from './markup';

export function slownessLine(slowness: Slowness, running: boolean): Markup {
  const factor = slowness.factor >= 10 ? Math.round(slowness.factor) : Math.floor(slowness.factor * 10) / 10;
  return md`:snail: *Slower than usual*: ${humanDuration(slowness.durationMs)}${running ? ' so far' : ''}, ${factor}× its usual ${humanDuration(slowness.medianMs)} (the median of its last ${slowness.runs} ended runs).`;
}
