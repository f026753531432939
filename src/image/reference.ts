import { TscError } from '../errors/index.js';

/** An image name split as Docker's reference grammar does, with Docker's defaults filled in. */
export interface ImageReference {
  /** `docker.io`, `localhost:5000`, `ghcr.io`, ... */
  domain: string;
  /** The repository path: `library/busybox`, `app`, `org/team/app`. */
  path: string;
  /** `latest` when neither a tag nor a digest was given. */
  tag?: string;
  digest?: string;
}

export const DEFAULT_DOMAIN = 'docker.io';
export const DEFAULT_TAG = 'latest';

const DOMAIN_COMPONENT = String.raw`(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`;
const DOMAIN_RE = new RegExp(String.raw`^(?:${DOMAIN_COMPONENT}(?:\.${DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$`);
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const ID_RE = /^[a-f0-9]{64}$/;
const MAX_NAME = 255;

function invalid(input: string, why: string): TscError {
  return new TscError('IMAGE_INVALID', `invalid image reference \`${input}\`: ${why}`, {
    hint: 'image names look like `busybox`, `busybox:1.36`, `localhost:5000/app:1` or `app@sha256:<64 hex>`',
  });
}

/** Split `name` into domain and path as Docker does: a first part with a dot, a colon or `localhost` is a registry. */
function splitDomain(input: string, name: string): { domain: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  let domain = DEFAULT_DOMAIN;
  let path = name;
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())) {
    domain = first;
    path = name.slice(slash + 1);
  }
  if (domain === 'index.docker.io') domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = `library/${path}`;
  if (!DOMAIN_RE.test(domain)) throw invalid(input, `\`${domain}\` is not a valid registry`);
  if (path !== path.toLowerCase()) throw invalid(input, 'repository names must be lowercase');
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT_RE.test(component)) throw invalid(input, `\`${component}\` is not a valid path component`);
  }
  return { domain, path };
}

/**
 * Parse and normalise an image name the way Docker does: `busybox` → `docker.io/library/busybox:latest`,
 * `localhost:5000/app:1` stays on its registry, `name@sha256:…` keeps its digest (and gets no default tag).
 */
export function parseReference(input: string): ImageReference {
  if (input === '') throw invalid(input, 'the name is empty');
  if (ID_RE.test(input)) throw invalid(input, 'a 64-digit hex string is an image id, not a name');
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) throw invalid(input, `\`${digest}\` is not a valid digest`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) throw invalid(input, `\`${tag}\` is not a valid tag`);
  }
  if (rest === '') throw invalid(input, 'the repository name is empty');
  const { domain, path } = splitDomain(input, rest);
  if (domain.length + 1 + path.length > MAX_NAME) throw invalid(input, `the repository name is longer than ${MAX_NAME} characters`);
  const ref: ImageReference = { domain, path };
  if (tag !== undefined) ref.tag = tag;
  else if (digest === undefined) ref.tag = DEFAULT_TAG;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** `docker.io/library/busybox`: the repository without tag or digest. */
export function repositoryName(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The full normalised name: `docker.io/library/busybox:latest`, `localhost:5000/app@sha256:…`. */
export function formatReference(ref: ImageReference): string {
  const tag = ref.tag === undefined ? '' : `:${ref.tag}`;
  const digest = ref.digest === undefined ? '' : `@${ref.digest}`;
  return `${repositoryName(ref)}${tag}${digest}`;
}

/** The short form Docker shows: `busybox:latest`, `someone/app:1`, `localhost:5000/app:1`. */
export function familiarName(ref: ImageReference): string {
  let name = repositoryName(ref);
  if (ref.domain === DEFAULT_DOMAIN) {
    name = ref.path.startsWith('library/') && ref.path.split('/').length === 2 ? ref.path.slice('library/'.length) : ref.path;
  }
  const tag = ref.tag === undefined ? '' : `:${ref.tag}`;
  const digest = ref.digest === undefined ? '' : `@${ref.digest}`;
  return `${name}${tag}${digest}`;
}

/** Shorthand: the full normalised form of any accepted spelling of a name. */
export function normalizeName(input: string): string {
  return formatReference(parseReference(input));
}
