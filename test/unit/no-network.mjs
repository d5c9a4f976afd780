// Preloaded (--import) into the Redocly CLI by openapi-lint.test.ts: any attempt to reach the
// network, by socket, fetch or DNS, is reported on stderr and fails, so the lint provably
// runs offline and a new telemetry or update call shows up as a test failure.
import dns from 'node:dns';
import net from 'node:net';
import { syncBuiltinESMExports } from 'node:module';

function refuse(what) {
  return (...args) => {
    const target = typeof args[0] === 'object' ? JSON.stringify(args[0]?.host ?? args[0]?.href ?? args[0]) : String(args[0]);
    process.stderr.write(`NETWORK-ATTEMPT ${what} ${target}\n`);
    throw new Error(`network is off for the lint: ${what}`);
  };
}

net.Socket.prototype.connect = refuse('socket');
globalThis.fetch = async (...args) => refuse('fetch')(...args);
dns.lookup = refuse('dns');
syncBuiltinESMExports();
