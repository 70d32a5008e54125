import { createServer, IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import {
  bodyLimitFor,
  bodyTooLarge,
  drainsUnreadBody,
  EDGE_HEADERS,
  edgeReadsBody,
  hasBody,
  pathOf,
  refusalBody,
  refuseAtEdge,
  type EdgeRefusal,
  type ServerTimeouts,
} from "./edge.ts";

// The process's HTTP server: Node's, with the timeouts `next start` offers no
// way to set, and a listener that answers what lib/http/edge.ts refuses before
// handing the rest to Next.js (or, later, to another handler in front of it).

export type EdgeServerOptions = {
  timeouts: ServerTimeouts;
  /** Extra headers on the edge's own answers (HSTS when the public URL is https). */
  headers?: Readonly<Record<string, string>>;
};

/** The body, read whole up to `limit`; "too_large" as soon as it passes it, "gone" when the client leaves (or times out) first. */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | "too_large" | "gone"> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: Buffer | "too_large" | "gone") => {
      request.removeListener("data", onData);
      // Past the limit, stop reading: what the client still sends waits in the socket, then goes with it.
      if (result === "too_large") request.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) return done("too_large");
      chunks.push(chunk);
    };
    request.on("data", onData);
    request.once("end", () => done(Buffer.concat(chunks, size)));
    request.once("error", () => done("gone"));
  });
}

/**
 * A request like `original` whose body is `body`, already whole: what Next.js
 * reads instead of the socket. Same socket, so the answer and the client's
 * address are the original's.
 */
function withBody(original: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(original.socket);
  copy.httpVersionMajor = original.httpVersionMajor;
  copy.httpVersionMinor = original.httpVersionMinor;
  copy.httpVersion = original.httpVersion;
  copy.rawHeaders = original.rawHeaders;
  copy.headers = original.headers;
  copy.url = original.url;
  copy.method = original.method;
  copy.complete = true;
  if (body.byteLength > 0) copy.push(body);
  copy.push(null);
  return copy;
}

/**
 * How long a refused request's connection stays open after its answer. Closed
 * while the client still sends, the connection is reset, and a reset client
 * loses what it had not read yet, the answer too: give a busy client time to
 * read it (150 clients pumping bodies from one process lost one in a run at
 * 1 s). Nothing more of the body is read meanwhile: the client's writes just
 * stop once the socket's buffers are full, so the wait costs a socket, no memory.
 */
export const LINGER_MS = 2_000;

/**
 * Ends a connection whose request was answered before its body was read
 * (refused here, or by a route before it knew the caller): LINGER_MS later,
 * reading nothing more. Node would otherwise read the rest to keep the
 * connection alive, 12 MB of an anonymous body that nobody wants.
 */
function closeUnread(request: IncomingMessage) {
  request.pause();
  const timer = setTimeout(() => request.socket.destroy(), LINGER_MS);
  request.socket.once("close", () => clearTimeout(timer));
}

export function createEdgeServer(handler: RequestListener, options: EdgeServerOptions): Server {
  const headers = { ...EDGE_HEADERS, ...options.headers };
  /** The answer, whole, at once (Connection: close); then the connection goes as closeUnread says. */
  const refuse = (request: IncomingMessage, response: ServerResponse, refusal: EdgeRefusal) => {
    const body = refusalBody(refusal);
    response.writeHead(refusal.status, { ...headers, "content-length": String(Buffer.byteLength(body)) });
    if (request.complete || !hasBody(request)) return void response.end(body);
    response.write(body);
    closeUnread(request);
  };
  const listener: RequestListener = (request, response) => {
    // A client that sends part of a body and goes away makes the request emit
    // "error" (aborted, ECONNRESET); a reader sees it as the end of its read,
    // and with no listener at all it would be logged as an uncaught exception.
    request.on("error", () => {});
    const refusal = refuseAtEdge(request);
    if (refusal) return refuse(request, response, refusal);
    if (!edgeReadsBody(request)) {
      // Node's own "finish" listener, added before this one, has set the rest of an unread body to be drained; closeUnread pauses it.
      response.once("finish", () => request.complete || drainsUnreadBody(request) || closeUnread(request));
      return handler(request, response);
    }
    const limit = bodyLimitFor(pathOf(request.url ?? "/"));
    void readBody(request, limit).then((body) => {
      // A client gone before its body was whole has nobody to answer: Next.js never sees it.
      if (body === "gone") return;
      if (body === "too_large") return refuse(request, response, bodyTooLarge(limit));
      return handler(withBody(request, body), response);
    });
  };
  const server = createServer(
    {
      headersTimeout: options.timeouts.headersTimeout,
      requestTimeout: options.timeouts.requestTimeout,
      connectionsCheckingInterval: options.timeouts.connectionsCheckingInterval,
    },
    listener,
  );
  server.keepAliveTimeout = options.timeouts.keepAliveTimeout;
  return server;
}
