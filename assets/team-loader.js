// Loads the team module (src/bin/team.rs: the link to the sync server and the Join dialog,
// built by Trunk as team.js and team_bg.wasm) when the page joins a team
// (src/browser/team_client.rs), and hands it over with an event, as dialogs-loader.js does for
// the dialogs. The event names must stay those in src/browser/team_client.rs.
import init, * as team from './team.js';

// The dialogs' styles (styles/dialogs.css) serve the Join dialog too; a sheet the dialogs
// module added already is not added twice.
const styled = document.querySelector('link[href="dialogs.css"]') ? Promise.resolve() : new Promise((settle) => {
  const sheet = document.createElement('link');
  sheet.rel = 'stylesheet';
  sheet.href = 'dialogs.css';
  sheet.onload = sheet.onerror = settle;
  document.head.append(sheet);
});

Promise.all([init(), styled]).then(
  () => dispatchEvent(new CustomEvent('team-loaded', { detail: team })),
  (error) => dispatchEvent(new CustomEvent('team-failed', {
    detail: (error && error.message) || String(error),
  })),
);
