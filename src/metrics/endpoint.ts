/**
 * `GET /metrics`: the snapshots of every thread of this process (the main thread's, and the engine and look-up
 * threads' when they run), merged into one Prometheus text.
 */
import type http from 'node:http';
import { type MetricsSnapshot, mergedText } from './metrics';

export type SnapshotSource = () => Promise<MetricsSnapshot | undefined>;

export function metricsListener(
  sources: SnapshotSource[],
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (_req, res) => {
    void Promise.all(sources.map((source) => source().catch(() => undefined)))
      .then((snapshots) => mergedText(snapshots.filter((snapshot) => snapshot !== undefined)))
      .then(
        ({ contentType, text }) => {
          res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
          res.end(text);
        },
        () => {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('the metrics could not be gathered');
        },
      );
  };
}
