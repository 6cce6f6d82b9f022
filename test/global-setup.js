// Tests that run the bot as separate processes (SIGKILL, several processes) start dist/app.js exactly as
// `npm start` does, so dist/ must match the sources under test.
const { execFileSync } = require('node:child_process');

module.exports = async () => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit', cwd: `${__dirname}/..` });
};
