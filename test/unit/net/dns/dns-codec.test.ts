import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../../src/net/dns/dns-decode.js';
import { encodeMessage } from '../../../../src/net/dns/dns-encode.js';
import { aRecord, DNS_CLASS_IN, DNS_RCODE, DNS_TYPE, ipv4Of, type DnsMessage } from '../../../../src/net/dns/dns-message.js';

const query = (name: string, type: number = DNS_TYPE.A, id = 0x1234): DnsMessage => ({
  header: { id, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, rcode: 0 },
  questions: [{ name, type, class: DNS_CLASS_IN }],
  answers: [], authorities: [], additionals: [],
});

function decoded(bytes: Uint8Array): DnsMessage {
  const result = decodeMessage(bytes);
  if ('error' in result) throw new Error(result.error);
  return result.message;
}

describe('DNS codec', () => {
  it('writes a query byte for byte as RFC 1035 lays it out', () => {
    const bytes = encodeMessage(query('web.Example', DNS_TYPE.A, 0xabcd));
    expect(bytes.toString('hex')).toBe(
      'abcd' + '0100' + '0001' + '0000' + '0000' + '0000' +
      '03' + Buffer.from('web').toString('hex') + '07' + Buffer.from('Example').toString('hex') + '00' + '0001' + '0001',
    );
  });

  it('round-trips header flags, questions and A answers', () => {
    const message: DnsMessage = {
      header: { id: 7, qr: true, opcode: 0, aa: true, tc: false, rd: true, ra: true, rcode: DNS_RCODE.NXDOMAIN },
      questions: [{ name: 'db', type: DNS_TYPE.A, class: DNS_CLASS_IN }],
      answers: [aRecord('db', '10.1.2.3', 10), aRecord('db', '10.1.2.4', 10)],
      authorities: [], additionals: [],
    };
    const back = decoded(encodeMessage(message));
    expect(back.header).toEqual(message.header);
    expect(back.questions).toEqual(message.questions);
    expect(back.answers.map(ipv4Of)).toEqual(['10.1.2.3', '10.1.2.4']);
    expect(back.answers.map((a) => [a.name, a.ttl, a.type])).toEqual([['db', 10, DNS_TYPE.A], ['db', 10, DNS_TYPE.A]]);
  });

  it('compresses repeated names into pointers to the question', () => {
    const message: DnsMessage = { ...query('a-long-service-name.project'), answers: [aRecord('a-long-service-name.project', '10.0.0.2', 5)] };
    const bytes = encodeMessage(message);
    // header 12 + name 29 + type/class 4, then the answer's name is the pointer c00c.
    expect(bytes.subarray(45, 47).toString('hex')).toBe('c00c');
    expect(bytes.length).toBe(45 + 2 + 10 + 4);
  });

  it('follows compression pointers on read, including a pointer to a suffix', () => {
    const header = Buffer.from('000181800001000100000000', 'hex');
    const question = Buffer.concat([Buffer.from([3]), Buffer.from('www'), Buffer.from([4]), Buffer.from('test'), Buffer.from([0]), Buffer.from('00010001', 'hex')]);
    // The answer's name is "api" + pointer to "test" at offset 16.
    const answer = Buffer.concat([Buffer.from([3]), Buffer.from('api'), Buffer.from('c010', 'hex'), Buffer.from('0001000100000e100004', 'hex'), Buffer.from([192, 0, 2, 9])]);
    const message = decoded(Buffer.concat([header, question, answer]));
    expect(message.questions[0]?.name).toBe('www.test');
    expect(message.answers[0]?.name).toBe('api.test');
    expect(message.answers[0]?.ttl).toBe(3600);
    expect(ipv4Of(message.answers[0] as never)).toBe('192.0.2.9');
  });

  it('refuses pointer loops, forward pointers and short messages with an error, never a throw', () => {
    const header = Buffer.from('000101000001000000000000', 'hex');
    expect(decodeMessage(Buffer.concat([header, Buffer.from('c00c00010001', 'hex')]))).toMatchObject({ id: 1, error: expect.stringMatching(/backwards/) });
    expect(decodeMessage(Buffer.concat([header, Buffer.from('c0ff00010001', 'hex')]))).toMatchObject({ error: expect.stringMatching(/backwards/) });
    expect(decodeMessage(Buffer.concat([header, Buffer.from('03777700', 'hex')]))).toMatchObject({ id: 1, error: expect.stringMatching(/ends at/) });
    expect(decodeMessage(Buffer.from('0001', 'hex'))).toEqual({ error: expect.stringMatching(/shorter than a header/) });
    const long = Buffer.concat([header, ...Array.from({ length: 5 }, () => Buffer.concat([Buffer.from([63]), Buffer.alloc(63, 0x61)])), Buffer.from('0000010001', 'hex')]);
    expect(decodeMessage(long)).toMatchObject({ error: expect.stringMatching(/longer than 255/) });
  });

  it('leaves out whole records that do not fit and sets TC', () => {
    const answers = Array.from({ length: 40 }, (_, i) => aRecord('many', `10.0.0.${i + 2}`, 10));
    const bytes = encodeMessage({ ...query('many'), header: { ...query('many').header, qr: true }, answers }, { maxBytes: 512 });
    expect(bytes.length).toBeLessThanOrEqual(512);
    const back = decoded(bytes);
    expect(back.header.tc).toBe(true);
    // 12 + 10 (question) = 22; each compressed A record is 16 bytes: 30 fit.
    expect(back.answers).toHaveLength(30);
    expect(back.answers.map(ipv4Of).slice(0, 2)).toEqual(['10.0.0.2', '10.0.0.3']);
    const whole = decoded(encodeMessage({ ...query('many'), answers }));
    expect(whole.header.tc).toBe(false);
    expect(whole.answers).toHaveLength(40);
  });
});
