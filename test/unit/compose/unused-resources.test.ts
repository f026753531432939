import { describe, expect, it } from 'vitest';
import { withoutUnusedResources } from '../../../src/compose/unused-resources.js';
import { project } from '../../support/compose.js';

describe('withoutUnusedResources', () => {
  it('keeps what services use and drops the rest, removing an emptied section', () => {
    const p = withoutUnusedResources(project(`
services:
  web:
    image: x
    networks: [front]
    volumes: [data:/data, ./src:/src]
    secrets: [token]
networks: {front: {}, back: {}}
volumes: {data: {}, cache: {}}
secrets: {token: {file: ./t}, other: {file: ./o}}
configs: {unused: {file: ./c}}
`));
    expect(Object.keys(p.networks ?? {})).toEqual(['front']);
    expect(Object.keys(p.volumes ?? {})).toEqual(['data']);
    expect(Object.keys(p.secrets ?? {})).toEqual(['token']);
    expect(p.configs).toBeUndefined();
  });

  it('does not change the project it is given', () => {
    const input = project('services: {web: {image: x}}\nvolumes: {v: {}}\n');
    withoutUnusedResources(input);
    expect(Object.keys(input.volumes ?? {})).toEqual(['v']);
  });
});
