/**
 * Reads a Server-Sent Events stream with `fetch`, as the widget does (no cookies, the token in
 * `Authorization`): the events arrive in `events`, and `next` waits for the next one that fits.
 * For tests and the inbox benchmark.
 */
export interface StreamEvent {
  id?: string;
  event: string;
  data: unknown;
}

export interface EventStreamClient {
  events: StreamEvent[];
  /** Resolves with the first event after the ones already taken that `fits`, waiting up to `timeoutMs`. */
  next(fits?: (event: StreamEvent) => boolean, timeoutMs?: number): Promise<StreamEvent>;
  /** Called for every event as it arrives. */
  onEvent?: (event: StreamEvent) => void;
  close(): void;
  /** Resolves once the server sent the headers. */
  opened: Promise<number>;
  /** Resolves when the stream ended, however: closed here, by the server, or the connection broke. */
  ended: Promise<void>;
}

function parse(block: string): StreamEvent | undefined {
  let id: string | undefined;
  let event = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("id: ")) id = line.slice(4);
    else if (line.startsWith("event: ")) event = line.slice(7);
    else if (line.startsWith("data: ")) data.push(line.slice(6));
  }
  if (data.length === 0) return undefined;
  return { ...(id === undefined ? {} : { id }), event, data: JSON.parse(data.join("\n")) };
}

export function openEventStreamClient(url: string, headers: Record<string, string> = {}): EventStreamClient {
  const controller = new AbortController();
  const events: StreamEvent[] = [];
  let taken = 0;
  const waiters = new Set<() => void>();
  let resolveOpened: (status: number) => void = () => undefined;
  let rejectOpened: (error: unknown) => void = () => undefined;
  const opened = new Promise<number>((resolve, reject) => {
    resolveOpened = resolve;
    rejectOpened = reject;
  });
  let resolveEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => {
    resolveEnded = resolve;
  });
  const client: EventStreamClient = {
    events,
    opened,
    ended,
    async next(fits = () => true, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        while (taken < events.length) {
          const event = events[taken++] as StreamEvent;
          if (fits(event)) return event;
        }
        const left = until - Date.now();
        if (left <= 0) throw new Error(`no fitting event within ${timeoutMs} ms (got ${JSON.stringify(events)})`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
    close: () => controller.abort(),
  };
  void (async () => {
    try {
      const response = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: controller.signal });
      resolveOpened(response.status);
      if (!response.ok || !response.body) return;
      const decoder = new TextDecoder();
      let buffer = "";
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const event = parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event) {
            events.push(event);
            client.onEvent?.(event);
            for (const wake of [...waiters]) wake();
          }
          end = buffer.indexOf("\n\n");
        }
      }
    } catch (error) {
      rejectOpened(error);
    } finally {
      resolveEnded();
    }
  })();
  return client;
}
