import { describe, expect, it } from 'vitest';
import { isValidCidr, parseListenAddress, parseRedisAddress, upperSnake } from './index.ts';

describe('addresses', () => {
  it('parses listen addresses like Go', () => {
    expect(parseListenAddress(':8080')).toEqual({ kind: 'tcp', host: undefined, port: 8080 });
    expect(parseListenAddress('127.0.0.1:8081')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 8081 });
    expect(parseListenAddress('[::1]:0')).toEqual({ kind: 'tcp', host: '::1', port: 0 });
    expect(parseListenAddress('localhost:3390')).toEqual({ kind: 'tcp', host: 'localhost', port: 3390 });
    expect(parseListenAddress('unix:/run/x.sock')).toEqual({ kind: 'unix', path: '/run/x.sock' });
    for (const bad of ['8080', 'host:', 'host:70000', '[zz]:1', 'unix:', '::1:80']) expect(() => parseListenAddress(bad), bad).toThrow();
  });

  it('parses Redis addresses', () => {
    expect(parseRedisAddress('127.0.0.1:6379')).toEqual({ host: '127.0.0.1', port: 6379, tls: false });
    expect(parseRedisAddress('rediss://u:p%40ss@[::1]:6380/3')).toEqual({ host: '::1', port: 6380, tls: true, username: 'u', password: 'p@ss', db: 3 });
    expect(parseRedisAddress('redis://r.example')).toEqual({ host: 'r.example', port: 6379, tls: false });
    for (const bad of ['r.example', ':6379', 'redis://h/x', 'redis://']) expect(() => parseRedisAddress(bad), bad).toThrow();
  });

  it('validates CIDRs', () => {
    expect(['10.0.0.0/8', '::1/128', '192.0.2.1', 'fc00::/7'].every(isValidCidr)).toBe(true);
    expect(['10.0.0.0/33', '::/129', 'x/8', '10.0.0.0/', '1.2.3.4/8/9', ''].some(isValidCidr)).toBe(false);
  });

  it('derives env names', () => {
    expect(upperSnake('RedisAddress')).toBe('REDIS_ADDRESS');
    expect(upperSnake('AllowHTTPToHTTPSRedirects')).toBe('ALLOW_HTTP_TO_HTTPS_REDIRECTS');
    expect(upperSnake('RPCListenAddress')).toBe('RPC_LISTEN_ADDRESS');
    expect(upperSnake('LocalJSPath')).toBe('LOCAL_JS_PATH');
    expect(upperSnake('SHA256')).toBe('SHA256');
    expect(upperSnake('S3')).toBe('S3');
    expect(upperSnake('RedisDB')).toBe('REDIS_DB');
    expect(upperSnake('GeoipDatabasePath')).toBe('GEOIP_DATABASE_PATH');
  });
});
