import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIPv4, formatIPv6, maskParts, parseIPv4, parseIPv6 } from '../../../server/src/core/opendkim/ipAddress';

test('IPv4: exactly four decimal octets 0-255', () => {
  assert.deepEqual(parseIPv4('192.0.2.1'), [192, 0, 2, 1]);
  assert.deepEqual(parseIPv4('010.0.0.1'), [10, 0, 0, 1]);
  for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '1..2.3', '1.2.3.', 'a.b.c.d', '', '1.2.3.0004']) {
    assert.equal(parseIPv4(bad), undefined, bad);
  }
  assert.equal(formatIPv4([10, 0, 0, 1]), '10.0.0.1');
});

test('IPv6: text forms parse to eight words', () => {
  assert.deepEqual(parseIPv6('::'), [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(parseIPv6('::1'), [0, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(parseIPv6('2001:DB8::8:800:200C:417A'), [0x2001, 0xdb8, 0, 0, 0x8, 0x800, 0x200c, 0x417a]);
  assert.deepEqual(parseIPv6('::ffff:192.0.2.1'), [0, 0, 0, 0, 0, 0xffff, 0xc000, 0x201]);
  assert.deepEqual(parseIPv6('1:2:3:4:5:6:7:8'), [1, 2, 3, 4, 5, 6, 7, 8]);
  for (const bad of ['1:2:3:4:5:6:7', '1::2::3', '12345::', ':1', '1:', 'g::1', '1:2:3:4:5:6:7:8:9', '::1.2.3', '1::2:3:4:5:6:7:8']) {
    assert.equal(parseIPv6(bad), undefined, bad);
  }
});

test('IPv6: formatted as glibc inet_ntop prints it (checked against Python\'s socket.inet_ntop on glibc 2.36)', () => {
  const cases: Array<[string, string]> = [
    ['::2', '::2'],
    ['::1.2.3.4', '::1.2.3.4'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::ffff:0:1.2.3.4', '::ffff:0:102:304'],
    ['0:0:0:0:0:ffff:0:0', '::ffff:0.0.0.0'],
    ['::', '::'],
    ['1::', '1::'],
    ['2001:DB8::', '2001:db8::'],
    ['::0.0.1.0', '::100'],
    ['1:2:3:4:5:6:7:0', '1:2:3:4:5:6:7:0'],
  ];
  for (const [input, expected] of cases) assert.equal(formatIPv6(parseIPv6(input)!), expected, input);
});

test('masking keeps the first bits only', () => {
  assert.deepEqual(maskParts([192, 168, 1, 5], 8, 24), [192, 168, 1, 0]);
  assert.deepEqual(maskParts([10, 255, 255, 255], 8, 9), [10, 128, 0, 0]);
  assert.deepEqual(maskParts([10, 1, 2, 3], 8, 0), [0, 0, 0, 0]);
  assert.deepEqual(maskParts([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1], 16, 32), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(maskParts([0xffff, 0xffff, 0, 0, 0, 0, 0, 0], 16, 20), [0xffff, 0xf000, 0, 0, 0, 0, 0, 0]);
});
