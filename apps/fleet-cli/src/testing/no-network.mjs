// Preloaded with `node --import` by the offline synthesis test: any DNS lookup or TCP connection fails the run
// (local IPC sockets, which tsx uses, stay allowed).
import dns from 'node:dns';
import net from 'node:net';

const refuse = (what) => {
  process.stderr.write(`NETWORK USED: ${what}\n${new Error().stack}\n`);
  process.exit(97);
};
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const [first] = args;
  const options = Array.isArray(first) ? first[0] : first;
  const ipc = typeof options === 'string' || (typeof options === 'object' && options !== null && 'path' in options);
  if (!ipc) refuse(`connect ${JSON.stringify(options)}`);
  return connect.apply(this, args);
};
dns.lookup = () => refuse('dns.lookup');
dns.promises.lookup = () => refuse('dns.promises.lookup');
globalThis.fetch = () => refuse('fetch');
