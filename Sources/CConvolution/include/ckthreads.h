#ifndef CKTHREADS_H
#define CKTHREADS_H

/// One part of a job split across threads: `part` of `parts` (0 ..< parts).
typedef void (*ckthreads_part)(void *context, int part, int parts);

/// Runs `part(context, i, parts)` once for every `i` in `0 ..< parts` and returns when all have
/// run, on the calling thread and up to `threads − 1` of the pool's, each part with the caller's instruction
/// limit (`ckernels_limit_instructions`). Parts are handed out one at a time as threads ask for
/// them, the caller included, so a thread slow to wake never holds the job up: at worst the
/// caller runs every part itself.
///
/// The pool's threads are started on first use and kept: after a part they spin for a short
/// while (about 0.2 ms) waiting for the next job, then sleep on a futex, so the layers of one
/// model call hand work over without a wake-up. The parts never run on more threads than the
/// process may run on (its CPU affinity), nor on more than `parts`. When the pool is busy (a call from another thread,
/// or from inside a part) the parts run one after another on the calling thread.
void ckthreads_run(int parts, int threads, ckthreads_part part, void *context);

/// The pool's threads that are awake: spinning for the next job (for `ckthreads_spin_nanoseconds`
/// after their last part) or running one. A job handed out now is picked up by an awake thread
/// within a microsecond; a sleeping one first needs the OS to wake it (tens of microseconds on a
/// virtual machine), so small jobs are worth splitting only while a thread is awake.
int ckthreads_awake(void);

/// The pool's threads started so far, and how many of them sleep (or are about to) on the futex
/// until the next job.
void ckthreads_state(int *workers, int *sleeping);

/// How long a thread of the pool spins for the next job after its last part before it sleeps.
long ckthreads_spin_nanoseconds(void);

/// The CPUs the process may run on (its affinity mask when it was first asked; at least 1).
int ckthreads_cpus(void);

#endif
