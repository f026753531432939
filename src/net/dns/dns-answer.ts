import type { DnsRecordTable } from './dns-records.js';
import { aRecord, DNS_CLASS_IN, DNS_OPCODE_QUERY, DNS_RCODE, DNS_TYPE, type DnsMessage, type DnsResourceRecord } from './dns-message.js';

/**
 * Time to live of the answers, in seconds. Docker's embedded DNS says 600; a container recreated by
 * `up` gets a new address, so tscompose keeps it short and clients that cache see the change soon.
 */
export const DNS_TTL_SECONDS = 10;

/** What to do with one query: send `message` back, forward it upstream, or drop it (not a query). */
export type DnsDecision = { kind: 'reply'; message: DnsMessage } | { kind: 'forward' } | { kind: 'ignore' };

export interface AnswerOptions {
  /** Whether names the table does not know may be asked upstream; if not they get SERVFAIL, as Docker does. */
  forward: boolean;
  ttl?: number;
}

/**
 * Answers a query from the table: A records for known names (every address, rotated), an empty
 * NOERROR for other types of known names (AAAA included), and for unknown names either `forward`
 * or SERVFAIL (what Docker's embedded DNS answers when it cannot reach an upstream).
 */
export function answerQuery(query: DnsMessage, table: DnsRecordTable, options: AnswerOptions): DnsDecision {
  if (query.header.qr) return { kind: 'ignore' };
  if (query.header.opcode !== DNS_OPCODE_QUERY) return { kind: 'reply', message: replyTo(query, DNS_RCODE.NOTIMP, options) };
  const question = query.questions[0];
  if (question === undefined || query.questions.length !== 1) return { kind: 'reply', message: replyTo(query, DNS_RCODE.FORMERR, options) };
  const known = question.class === DNS_CLASS_IN || question.class === DNS_TYPE.ANY ? table.has(question.name) : false;
  if (!known) return options.forward ? { kind: 'forward' } : { kind: 'reply', message: replyTo(query, DNS_RCODE.SERVFAIL, options) };
  const ttl = options.ttl ?? DNS_TTL_SECONDS;
  const wantsA = question.type === DNS_TYPE.A || question.type === DNS_TYPE.ANY;
  const answers: DnsResourceRecord[] = wantsA ? (table.lookup(question.name) ?? []).map((ip) => aRecord(question.name, ip, ttl)) : [];
  return { kind: 'reply', message: { ...replyTo(query, DNS_RCODE.NOERROR, options), header: { ...header(query, DNS_RCODE.NOERROR, options), aa: true }, answers } };
}

/** A reply to `query` with `rcode`, its question echoed and no records. */
export function replyTo(query: DnsMessage, rcode: number, options: Pick<AnswerOptions, 'forward'>): DnsMessage {
  return { header: header(query, rcode, options), questions: query.questions.slice(0, 1), answers: [], authorities: [], additionals: [] };
}

function header(query: DnsMessage, rcode: number, options: Pick<AnswerOptions, 'forward'>): DnsMessage['header'] {
  return { id: query.header.id, qr: true, opcode: query.header.opcode, aa: false, tc: false, rd: query.header.rd, ra: options.forward, rcode };
}
