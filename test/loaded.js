// `npm run test:loaded`: the whole Jest suite while other processes keep every core busy (one busy loop per
// core, `LOADED_BUSY` to choose), as a shared CI machine or a laptop building something else would. A test
// that waits a fixed time instead of for its event fails here first. Arguments go on to Jest.
const { spawn } = require('node:child_process');
const os = require('node:os');

const count = Number(process.env.LOADED_BUSY ?? os.availableParallelism?.() ?? os.cpus().length);
const busy = Array.from({ length: count }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
const stopBusy = () => {
  for (const child of busy) child.kill('SIGKILL');
};
process.stderr.write(`test:loaded: ${count} busy loop(s) beside the suite\n`);

const jest = spawn(process.execPath, [require.resolve('jest/bin/jest'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    jest.kill(signal);
    stopBusy();
  });
jest.on('exit', (code, signal) => {
  stopBusy();
  process.exit(code ?? (signal ? 1 : 0));
});
