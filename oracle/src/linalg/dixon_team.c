/*
 * dixon_team.c -- a lifting run by a dynamic team of at most 2 threads: the
 * rows of a step are cut in chunks, claimed by CAS on (epoch, next chunk).
 * A helper that is descheduled simply claims none: the main thread never
 * waits for a thread that holds no chunk, which matters on an
 * oversubscribed machine. Who computes a chunk never changes the result.
 */
#include <sched.h>
#include <pthread.h>
#include "dixon_internal.h"

static void dx_spin_pause(int *spins)
{
    if (++*spins > 2000) {
        sched_yield();
        *spins = 0;
    }
}

static void dx_do_chunk(dx_lift_t *L, int phase, int ch, slong K)
{
    if (phase == 1)
        lmo_dx_phase_b(L, ch, K);
    else
        lmo_dx_phase_c(L, ch, K);
}

/* main thread: publish a phase, take chunks until none is left, wait for
 * the chunks a helper took */
static void dx_run_phase(dx_lift_t *L, int phase, slong K)
{
    dx_sched_t *S = &L->sc;
    uint64_t st, ep;
    int spins = 0;
    double t0, t1;
    if (L->nth <= 1 || atomic_load_explicit(&S->solo, memory_order_relaxed)) {
        int ch;
        for (ch = 0; ch < L->nch; ch++)
            dx_do_chunk(L, phase, ch, K);
        return;
    }
    t0 = dx_now();
    S->phase = phase;
    S->K = K;
    atomic_store_explicit(&S->done, 0, memory_order_relaxed);
    ep = (atomic_load_explicit(&S->state, memory_order_relaxed) >> 32) + 1;
    atomic_store_explicit(&S->state, ep << 32, memory_order_release);
    for (;;) {
        st = atomic_load_explicit(&S->state, memory_order_acquire);
        if ((int) (st & 0xffffffffu) >= S->nchunks)
            break;
        if (atomic_compare_exchange_weak_explicit(&S->state, &st, st + 1,
                                                  memory_order_acq_rel, memory_order_acquire)) {
            dx_do_chunk(L, phase, (int) (st & 0xffffffffu), K);
            atomic_fetch_add_explicit(&S->done, 1, memory_order_release);
        }
    }
    t1 = dx_now();
    while (atomic_load_explicit(&S->done, memory_order_acquire) < S->nchunks)
        dx_spin_pause(&spins);
    /* A helper that keeps the main thread waiting (it was descheduled
     * holding a chunk: the machine is oversubscribed) costs more than it
     * brings once the waits pass half of the phase time (alone, the main
     * thread would need work_main + work_helper <= 2 (1 - f) t): check every
     * 64 phases, retire it above 45%. Who computes a chunk never changes
     * the result. */
    S->t_wait += dx_now() - t1;
    S->t_work += dx_now() - t0;
    if (++S->phases % 64 == 0) {
        if (S->t_wait > 0.45 * S->t_work)
            atomic_store_explicit(&S->solo, 1, memory_order_release);
        S->t_wait = S->t_work = 0.0;
    }
}

/* helper thread: take chunks of whatever phase is published */
static void *dx_helper_main(void *arg)
{
    dx_lift_t *L = arg;
    dx_sched_t *S = &L->sc;
    int spins = 0;
    while (!atomic_load_explicit(&S->quit, memory_order_acquire)) {
        uint64_t st = atomic_load_explicit(&S->state, memory_order_acquire);
        if (atomic_load_explicit(&S->solo, memory_order_acquire)) {
            /* retired: stay out of the way until the lifting ends */
            struct timespec ts = {0, 200000};
            nanosleep(&ts, NULL);
            continue;
        }
        if ((int) (st & 0xffffffffu) < S->nchunks
            && atomic_compare_exchange_weak_explicit(&S->state, &st, st + 1,
                                                     memory_order_acq_rel, memory_order_acquire)) {
            /* phase and K were written before the epoch was published */
            dx_do_chunk(L, S->phase, (int) (st & 0xffffffffu), S->K);
            atomic_fetch_add_explicit(&S->done, 1, memory_order_release);
            spins = 0;
        } else
            dx_spin_pause(&spins);
    }
    flint_cleanup();   /* FLINT's thread-local caches (generic path) */
    return NULL;
}

void lmo_dx_run_job(dx_job_t *J)
{
    dx_lift_t *L = &J->L;
    pthread_t th;
    int helper = 0;
    slong K = 0;
    int ch;
    if (L->nth > 1)
        helper = pthread_create(&th, NULL, dx_helper_main, L) == 0;
    if (!helper) {
        L->nth = 1;             /* no thread: the main thread takes every chunk */
    }
    for (ch = 0; ch < L->nch; ch++)
        lmo_dx_phase_a(L, ch, 0);
    for (;;) {
        dx_run_phase(L, 1, K);
        if (lmo_dx_control(J, K))
            break;
        /* room for digit K + 1 (nobody touches the digits now) */
        if (L->keep_digits && K + 2 > L->dig_cap) {
            L->dig_cap *= 2;
            L->dig = flint_realloc(L->dig, sizeof(int32_t) * L->dig_cap * L->N);
        }
        dx_run_phase(L, 2, K);
        K++;
    }
    if (helper) {
        atomic_store_explicit(&L->sc.quit, 1, memory_order_release);
        pthread_join(th, NULL);
    }
}
