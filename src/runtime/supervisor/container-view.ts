/** What the parts need to know of a container now; undefined from the lookup once it is removed. */
export interface ContainerView {
  readonly id: string;
  readonly status: 'created' | 'running' | 'paused' | 'exited' | 'removing';
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly exit?: { readonly exitCode: number | null; readonly signal: string | null };
  readonly restartCount: number;
}

export type ContainerLookup = (id: string) => Promise<ContainerView | undefined>;
