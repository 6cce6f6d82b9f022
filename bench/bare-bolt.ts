/** The baseline: a bare Bolt app whose /dlf-instance handler only acknowledges. Same receiver, same port setup. */
import { App, LogLevel } from '@slack/bolt';

async function main(): Promise<void> {
  const app = new App({
    token: process.env.SLACK_BOT_TOKEN,
    signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
    logLevel: LogLevel.ERROR,
  });
  app.command('/dlf-instance', async ({ ack }) => {
    await ack();
  });
  await app.start({ port: 0, host: '127.0.0.1' });
  const server = (app as unknown as { receiver: { server?: { address(): { port: number } } } }).receiver
    .server;
  process.stdout.write(`listening for Slack at port ${server?.address().port}\n`);
}

void main();
