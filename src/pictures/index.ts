/** The pictures: pure SVG renderers (timeline, digest chart, sparkline) and the one module that makes PNGs. */
export {
  type Outcome,
  type OutcomeKind,
  type OutcomesChartOptions,
  outcomesChartSvg,
} from './outcomes-chart';
export { FONT_FILES, type Png, svgToPng } from './png';
export { type DayRate, type SparklineOptions, sparklineSvg } from './sparkline';
export type { Picture } from './svg';
export { checkTimeZone } from './time-axis';
export { type TimelineOptions, timelineSvg } from './timeline';
