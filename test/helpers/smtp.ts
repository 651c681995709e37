// A real SMTP server on loopback for the tests of the outbox (smtp-server, the library Nodemailer's
// authors test with): it accepts any sender without authentication or TLS, parses every message
// it is given with mailparser, and keeps them, in the order they came. It can be told to refuse
// the next messages (a 451 "try again later", or any other code, at RCPT TO) and waited on.
import { arrivals } from './wait.ts';
import net from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** The envelope, as given at MAIL FROM and RCPT TO. */
  from: string;
  to: string[];
  /** The message as it came, and as mailparser reads it. */
  raw: Buffer;
  parsed: ParsedMail;
}

export interface TestSmtp {
  port: number;
  /** The app's SMTP_URL for this server. */
  url: string;
  received: ReceivedMail[];
  /** Every connection opened to it, refused or not. */
  connections: () => number;
  /** Refuses the next `count` messages at RCPT TO with this reply code (451 unless told). */
  refuseNext(count: number, code?: number, text?: string): void;
  /** The refusals it answered, in order: the code and the address refused. */
  refusals: { code: number; to: string }[];
  /** Resolves once at least `count` messages have come; fails with what did come after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export const MAIL_FROM = 'Forum <forum@example.org>';

/** The environment that sends the app's e-mail to this server. */
export const mailEnv = (smtp: Pick<TestSmtp, 'url'>) => ({ SMTP_URL: smtp.url, MAIL_FROM });

export async function startSmtp(): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const refusals: { code: number; to: string }[] = [];
  let refuse: { count: number; code: number; text: string } = { count: 0, code: 451, text: '' };
  let connections = 0;
  const waits = arrivals(received, (count, timeoutMs) =>
    `the SMTP server got ${received.length} message(s) within ${timeoutMs} ms, not ${count}: ${JSON.stringify(received.map((m) => ({ to: m.to, subject: m.parsed.subject })))}`);

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    // Neither STARTTLS nor AUTH is offered: the client can only go on in plain text, as on loopback it should.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    banner: 'test smtp',
    size: 10 * 1024 * 1024,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (refuse.count > 0) {
        refuse.count -= 1;
        refusals.push({ code: refuse.code, to: address.address });
        const error = Object.assign(new Error(refuse.text), { responseCode: refuse.code });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then((parsed) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            parsed,
          });
          callback();
          waits.arrived();
        }, (error: Error) => callback(error));
      });
    },
  });
  server.on('error', () => { /* a client that hangs up mid-session: nothing to keep */ });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as net.AddressInfo;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    refusals,
    connections: () => connections,
    refuseNext(count, code = 451, text) {
      refuse = { count, code, text: text ?? (code >= 500 ? 'Mailbox unavailable (test refusal)' : 'Try again later (test refusal)') };
    },
    waitFor: waits.waitFor,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A TCP server that accepts connections and never says a word: an SMTP client that connects to
 * it waits for the greeting (the sender is then stuck between taking a message and sending it).
 */
export interface SilentServer {
  port: number;
  url: string;
  connections: () => number;
  /** Resolves once at least `count` connections were opened. */
  waitForConnections(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSilentServer(host = '127.0.0.1', port = 0): Promise<SilentServer> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('error', () => { /* the client went away */ });
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    url: `smtp://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    connections: () => count,
    async waitForConnections(wanted, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (count < wanted) {
        if (Date.now() > deadline) throw new Error(`${count} connection(s) to the silent server within ${timeoutMs} ms, not ${wanted}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
