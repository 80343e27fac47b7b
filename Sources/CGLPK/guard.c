#define _GNU_SOURCE
#include "CGLPK.h"
#include "branching.h"
#include "covers.h"
#include "gomory.h"

#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Everything is thread-local because GLPK 5.0's environment is. */
static _Thread_local jmp_buf guard_jmp;
static _Thread_local int in_shim;
static _Thread_local unsigned long generation;

/* Log is capped so a chatty long solve cannot grow memory without bound. */
#define LOG_CAP (8u << 20)
static _Thread_local char *log_buf;
static _Thread_local size_t log_len, log_cap;
static _Thread_local int log_truncated;

/* glp_error prints its message and then "Error detected in file ..." as two
   separate writes right before calling the error hook, so the last two chunks
   of terminal output are the error message. */
#define CHUNK_CAP 1024
static _Thread_local char chunks[2][CHUNK_CAP];
static _Thread_local int last_chunk;
static _Thread_local char error_msg[2 * CHUNK_CAP];

/* While cglpk_intopt runs: its arguments (NULL otherwise), for the terminal hook. A node LP has neither a time
   nor an iteration limit in GLPK, nor any callback, and one that iterates without end holds the solve for
   ever (seen once, 5 December, in a search round's MIP); the only code of ours it still reaches is the
   terminal hook, through the simplex's progress line every 0.5 s once the LP has run out_dly. There the
   search is left past abandon_at, or when a stop is asked for and no callback has run for a while (one
   would have stopped it). Leaving GLPK there is leaving it as its error hook does, so the same recovery
   follows (the environment is freed). */
static _Thread_local cglpk_intopt_args *watched;
static double now_seconds(void);

/* Without a callback for this long, GLPK is inside something no stop reaches (a tree between nodes returns
   to the callback within milliseconds). */
#define STOP_GRACE_SECONDS 1.0

static int must_leave(cglpk_intopt_args *a) {
    double now = now_seconds();
    if (a->abandon_at > 0 && now >= a->abandon_at) return 1;
    if (a->fn && a->poll_every_call && now - a->callback_left_at >= STOP_GRACE_SECONDS) {
        cglpk_event ev;
        memset(&ev, 0, sizeof ev);
        /* A poll: the callback has returned, so no Swift frame is below this one. */
        if (a->fn(a->ctx, &ev)) {
            a->left_on_stop = 1;
            return 1;
        }
    }
    return 0;
}

/* While cglpk_simplex runs with a stop poll: the poll (NULL otherwise). The simplex has no callback, so a stop
   reaches it only here, at its progress line (every parm->out_frq ms); leaving is leaving as above. */
static _Thread_local cglpk_event_fn simplex_poll;
static _Thread_local void *simplex_poll_ctx;

static int simplex_must_stop(void) {
    if (!simplex_poll) return 0;
    cglpk_event ev;
    memset(&ev, 0, sizeof ev);
    /* The poll returns before any longjmp, so no Swift frame is below the jump. */
    return simplex_poll(simplex_poll_ctx, &ev) != 0;
}

static void log_append(const char *s, size_t n) {
    if (log_truncated) return;
    if (log_len + n + 1 > LOG_CAP) {
        static const char note[] = "\n[log truncated]\n";
        s = note;
        n = sizeof note - 1;
        log_truncated = 1;
    }
    if (log_len + n + 1 > log_cap) {
        size_t cap = log_cap ? log_cap : 4096;
        while (cap < log_len + n + 1) cap *= 2;
        char *p = realloc(log_buf, cap);
        if (!p) return;
        log_buf = p;
        log_cap = cap;
    }
    memcpy(log_buf + log_len, s, n);
    log_len += n;
    log_buf[log_len] = '\0';
}

static int term_hook(void *info, const char *s) {
    (void)info;
    size_t n = strlen(s);
    log_append(s, n);
    last_chunk ^= 1;
    size_t c = n < CHUNK_CAP - 1 ? n : CHUNK_CAP - 1;
    memcpy(chunks[last_chunk], s, c);
    chunks[last_chunk][c] = '\0';
    if ((watched && must_leave(watched)) || simplex_must_stop()) {
        watched = NULL;
        simplex_poll = NULL;
        longjmp(guard_jmp, 2);
    }
    return 1; /* non-zero: GLPK must not print to stdout */
}

static void error_hook(void *info) {
    (void)info;
    snprintf(error_msg, sizeof error_msg, "%s%s", chunks[last_chunk ^ 1],
             chunks[last_chunk]);
    size_t n = strlen(error_msg);
    while (n > 0 && (error_msg[n - 1] == '\n' || error_msg[n - 1] == ' '))
        error_msg[--n] = '\0';
    longjmp(guard_jmp, 1);
}

static void install_hooks(void) {
    /* glp_free_env drops hooks, and a new env is created lazily, so
       install them on every entry (both are trivial setters). */
    glp_term_hook(term_hook, NULL);
    glp_error_hook(error_hook, NULL);
}

static int caught_error(void) {
    /* The env is in an undefined state after glp_error; GLPK's manual says
       to free it. That frees every glp_prob of this thread too. */
    glp_free_env();
    generation++;
    in_shim = 0;
    watched = NULL;
    simplex_poll = NULL;
    return CGLPK_ERROR;
}

/* Left from the terminal hook (must_leave): the same recovery as after an error. */
static int caught_abandon(void) {
    caught_error();
    error_msg[0] = '\0';
    return CGLPK_ABANDONED;
}

/* setjmp must run in the shim's own frame, hence a macro (and a switch: setjmp's value may only be tested). */
#define GUARD_BEGIN                                  \
    if (in_shim) return CGLPK_REENTERED;             \
    in_shim = 1;                                     \
    install_hooks();                                 \
    switch (setjmp(guard_jmp)) {                     \
    case 0: break;                                   \
    case 2: return caught_abandon();                 \
    default: return caught_error();                  \
    }

#define GUARD_END \
    in_shim = 0;  \
    return CGLPK_OK;

unsigned long cglpk_generation(void) { return generation; }

const char *cglpk_log(void) { return log_buf ? log_buf : ""; }

void cglpk_log_clear(void) {
    log_len = 0;
    log_truncated = 0;
    if (log_buf) log_buf[0] = '\0';
}

const char *cglpk_error_message(void) { return error_msg; }

void cglpk_version(char *buf, size_t cap) {
    if (cap == 0) return;
    buf[0] = '\0';
    if (in_shim) return;
    in_shim = 1;
    install_hooks();
    if (setjmp(guard_jmp) != 0) { caught_error(); return; }
    snprintf(buf, cap, "%s", glp_version());
    in_shim = 0;
}

void cglpk_thread_cleanup(void) {
    if (in_shim) return;
    glp_free_env();
    generation++;
    free(log_buf);
    log_buf = NULL;
    log_len = log_cap = 0;
    log_truncated = 0;
}

int cglpk_create(glp_prob **out, const char *name, int dir, double obj_const) {
    GUARD_BEGIN
    glp_prob *P = glp_create_prob();
    *out = P;
    if (name && name[0]) glp_set_prob_name(P, name);
    glp_set_obj_name(P, "obj");
    glp_set_obj_dir(P, dir);
    glp_set_obj_coef(P, 0, obj_const);
    GUARD_END
}

int cglpk_add_cols(glp_prob *P, int n, const char *names, const int *kinds,
                   const int *types, const double *lbs, const double *ubs,
                   const double *objs) {
    GUARD_BEGIN
    if (n > 0) {
        int first = glp_add_cols(P, n);
        const char *name = names;
        for (int k = 0; k < n; k++) {
            int j = first + k;
            if (name) {
                if (name[0]) glp_set_col_name(P, j, name);
                name += strlen(name) + 1;
            }
            glp_set_col_kind(P, j, kinds[k]);
            glp_set_col_bnds(P, j, types[k], lbs[k], ubs[k]);
            glp_set_obj_coef(P, j, objs[k]);
        }
    }
    GUARD_END
}

int cglpk_add_rows(glp_prob *P, int n, const char *names, const int *types,
                   const double *lbs, const double *ubs) {
    GUARD_BEGIN
    if (n > 0) {
        int first = glp_add_rows(P, n);
        const char *name = names;
        for (int k = 0; k < n; k++) {
            int i = first + k;
            if (name) {
                if (name[0]) glp_set_row_name(P, i, name);
                name += strlen(name) + 1;
            }
            glp_set_row_bnds(P, i, types[k], lbs[k], ubs[k]);
        }
    }
    GUARD_END
}

int cglpk_load_matrix(glp_prob *P, int ne, const int *ia, const int *ja,
                      const double *ar) {
    GUARD_BEGIN
    glp_load_matrix(P, ne, ia, ja, ar);
    GUARD_END
}

int cglpk_simplex(glp_prob *P, const glp_smcp *parm, int basis, int *ret, cglpk_event_fn poll, void *poll_ctx) {
    GUARD_BEGIN
    if (basis == 1) glp_std_basis(P);
    else if (basis == 2) glp_adv_basis(P, 0);
    simplex_poll = poll;
    simplex_poll_ctx = poll_ctx;
    *ret = glp_simplex(P, parm);
    simplex_poll = NULL;
    GUARD_END
}

int cglpk_interior(glp_prob *P, int *ret, cglpk_event_fn poll, void *poll_ctx) {
    GUARD_BEGIN
    glp_iptcp parm;
    glp_init_iptcp(&parm);
    parm.msg_lev = GLP_MSG_ON; /* a line each iteration: the poll's chance to stop it */
    parm.ord_alg = GLP_ORD_AMD;
    simplex_poll = poll;
    simplex_poll_ctx = poll_ctx;
    *ret = glp_interior(P, &parm);
    simplex_poll = NULL;
    GUARD_END
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void offer_start(glp_tree *T, cglpk_intopt_args *a) {
    if (!a->start || a->start_result >= 0) return;
    glp_prob *mip = glp_ios_get_prob(T);
    int n = glp_get_num_cols(mip);
    /* glp_alloc: released with the env if an error longjmps past us. */
    double *x = glp_alloc(n + 1, sizeof(double));
    x[0] = 0.0;
    memcpy(x + 1, a->start, (size_t)n * sizeof(double));
    a->start_result = glp_ios_heur_sol(T, x) ? 1 : 0;
    glp_free(x);
}

/* The tree's new incumbent: copied into the caller's buffer (the answer if the search is left inside GLPK)
   and handed to exchange, one read of its values for both. */
static void report_incumbent(glp_tree *T, cglpk_intopt_args *a) {
    if (!a->incumbent && !a->exchange) return;
    glp_prob *mip = glp_ios_get_prob(T);
    int n = glp_get_num_cols(mip);
    double *x = a->incumbent ? a->incumbent : glp_alloc(n + 1, sizeof(double));
    for (int j = 1; j <= n; j++) x[j - 1] = glp_mip_col_val(mip, j);
    if (a->incumbent) a->incumbent_kept = 1;
    if (a->exchange) a->exchange(a->exchange_ctx, n, x, NULL);
    if (x != a->incumbent) glp_free(x);
}

/* At a heuristic call, a better plan another party found becomes this tree's incumbent. */
static void take_offer(glp_tree *T, cglpk_intopt_args *a) {
    /* After the starting solution's offer, so that one always goes first. */
    if (!a->exchange || (a->start && a->start_result < 0)) return;
    glp_prob *mip = glp_ios_get_prob(T);
    int n = glp_get_num_cols(mip);
    double *x = glp_alloc(n + 1, sizeof(double));
    x[0] = 0.0;
    if (a->exchange(a->exchange_ctx, n, NULL, x + 1) && glp_ios_heur_sol(T, x) == 0) a->offers_accepted++;
    glp_free(x);
}

static void run_node_heuristic(glp_tree *T, cglpk_intopt_args *a) {
    if (!a->node_heuristic || (a->start && a->start_result < 0)) return;
    glp_prob *mip = glp_ios_get_prob(T);
    int n = glp_get_num_cols(mip);
    double *lp = glp_alloc(n + 1, sizeof(double));
    double *x = glp_alloc(n + 1, sizeof(double));
    x[0] = 0.0;
    /* At GLP_IHEUR the problem object holds the current subproblem's optimal LP solution. */
    for (int j = 1; j <= n; j++) lp[j] = glp_get_col_prim(mip, j);
    if (a->node_heuristic(a->node_heuristic_ctx, n, lp + 1, x + 1)) {
        a->heuristic_offers++;
        if (glp_ios_heur_sol(T, x) == 0) a->heuristic_accepted++;
    }
    glp_free(x);
    glp_free(lp);
}

/* Pseudocost branching first meets a variable by solving two LPs for it, and at the first branching it
   meets them all with no callback in between: a time limit of half a second was overrun by half a
   second. So at the first branching under a time limit the shim times one such LP, made as GLPK makes
   it (a copy of the whole problem, the variable fixed, at most 30 dual simplex iterations), on the most
   fractional variable, whose LP is among the longest: 2.9-4.3 ms on knowsley-pathways, where GLPK's own
   took about 2.4 on average, and 1.1-1.4 ms on aspire-hub (about 0.6). The root's warm-started LP,
   timed before, was a poor stand-in: it leaves out the copy and the factorisation and measured 0.8-1.2
   ms on knowsley-pathways, so a limit of 1 s was overrun by 0.1-0.3 s in a third to all of the runs.
   When the time left would not cover two of them for every candidate GLPK has not met yet, with a
   quarter to spare, the shim picks the most fractional variable itself and GLPK branches on it at once;
   otherwise GLPK chooses, so a small model still gets its pseudocosts (aspire-hub is proven in 0.3 s
   with them, not in 1 s without). Counting only the candidates not yet met keeps them for the rest of
   its search: counting all, as before, branched by fraction at every node once time ran short. */
static double time_pseudocost_lp(glp_prob *mip, int j) {
    double started = now_seconds();
    glp_prob *lp = glp_create_prob();
    glp_copy_prob(lp, mip, 0);
    double x = glp_get_col_prim(mip, j);
    glp_set_col_bnds(lp, j, GLP_FX, floor(x), floor(x));
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.meth = GLP_DUAL;
    parm.it_lim = 30;
    glp_simplex(lp, &parm);
    glp_delete_prob(lp);
    return now_seconds() - started;
}

static void branch_cheaply(glp_tree *T, cglpk_intopt_args *a) {
    if (a->deadline <= 0 || !a->pseudocost) return;
    glp_prob *mip = glp_ios_get_prob(T);
    int n = glp_get_num_cols(mip), best = 0, fresh = 0;
    /* Once timed, enough time for every column needs no counting. */
    if (a->pseudocost_lp_seconds > 0 && a->deadline - now_seconds() > 4.0 * n * a->pseudocost_lp_seconds) return;
    if (!a->pseudocost_met) {
        a->pseudocost_met = glp_alloc(n + 1, 1);
        memset(a->pseudocost_met, 0, n + 1);
    }
    double bestDistance = -1.0;
    for (int j = 1; j <= n; j++) {
        if (!glp_ios_can_branch(T, j)) continue;
        if (!a->pseudocost_met[j]) fresh++;
        double x = glp_get_col_prim(mip, j);
        double distance = fabs(x - floor(x) - 0.5);  /* 0 when most fractional */
        if (bestDistance < 0 || distance < bestDistance) { bestDistance = distance; best = j; }
    }
    /* Only candidates GLPK has not met cost LPs: once met, its choice is cheap. */
    if (!best || fresh == 0) return;
    if (a->pseudocost_lp_seconds == 0) a->pseudocost_lp_seconds = time_pseudocost_lp(mip, best);
    if (a->deadline - now_seconds() > 1.25 * 2.0 * fresh * a->pseudocost_lp_seconds) {
        /* GLPK meets every candidate now (unless a branch proves infeasible first, which ends its loop:
           then some are counted as met too soon, and a later estimate is low). */
        for (int j = 1; j <= n; j++) if (glp_ios_can_branch(T, j)) a->pseudocost_met[j] = 1;
        return;
    }
    glp_ios_branch_upon(T, best, GLP_NO_BRNCH);
    a->cheap_branchings++;
}

/* Runs inside glp_intopt, i.e. under cglpk_intopt's setjmp. All GLPK calls
   happen here in C, never in the Swift callback, so an error's longjmp only
   crosses C frames. */
static void ios_callback_body(glp_tree *T, void *info);

static void ios_callback(glp_tree *T, void *info) {
    ios_callback_body(T, info);
    ((cglpk_intopt_args *)info)->last_reason = glp_ios_reason(T);
    ((cglpk_intopt_args *)info)->callback_left_at = now_seconds();
}

/* Best projection dives for plans and leaves nodes near the root open, so the bound stays where the root's
   cuts left it; choosing the best-bound node at some backtracks raises it. Right after a branching the
   driver goes on to the child the branching suggested, as with every rule. */
static void choose_best_bound_sometimes(glp_tree *T, cglpk_intopt_args *a) {
    if (a->best_bound_every <= 0 || a->last_reason == GLP_IBRANCH) return;
    int every = a->best_bound_every;
    a->backtracks++;
    if (a->best_bound_when_stale > 0) {
        /* Long without a better plan, the gap is more likely the bound's than the plan's: the dives give way
           to the best-bound node at every backtrack until a plan comes (whoever found it). */
        glp_prob *mip = glp_ios_get_prob(T);
        if (glp_mip_status(mip) == GLP_FEAS) {
            double obj = glp_mip_obj_val(mip);
            if (!a->seen_incumbent || obj != a->seen_objective) {
                a->seen_incumbent = 1;
                a->seen_objective = obj;
                a->backtracks_at_incumbent = a->backtracks;
            }
            if (a->backtracks - a->backtracks_at_incumbent > a->best_bound_when_stale) every = 1;
        }
    }
    if (a->backtracks % every != 0) return;
    int p = glp_ios_best_node(T);
    if (p != 0) {
        glp_ios_select_node(T, p);
        a->best_bound_choices++;
    }
}

static void ios_callback_body(glp_tree *T, void *info) {
    cglpk_intopt_args *a = info;
    int reason = glp_ios_reason(T);
    if (a->gomory_state) cglpk_gomory_follow(a->gomory_state, T, reason);

    if (reason == GLP_IHEUR) offer_start(T, a);
    if (reason == GLP_ICUTGEN && a->covers) cglpk_covers_separate(a->covers, T);
    /* After the callback's own cuts, where GLPK's generator would add its cuts after the callback. */
    if (reason == GLP_ICUTGEN && a->gomory_state) cglpk_gomory_separate(a->gomory_state, T);
    if (reason == GLP_IHEUR) take_offer(T, a);
    if (reason == GLP_IHEUR) run_node_heuristic(T, a);
    if (reason == GLP_IBRANCH) branch_cheaply(T, a);
    if (reason == GLP_IBRANCH && a->driebeck_tomlin) cglpk_branch_driebeck_tomlin(T);
    if (reason == GLP_ISELECT) choose_best_bound_sometimes(T, a);

    /* A new incumbent, whoever found it (GLPK's own search, the start, the node heuristic or another
       party's offer), goes to the exchange (GLPK reports only its own search's) and restarts the stall
       clock; an unchanged one for stall_seconds stops the search. */
    glp_prob *mip = glp_ios_get_prob(T);
    if ((a->exchange || a->stall_seconds > 0 || a->incumbent) && glp_mip_status(mip) == GLP_FEAS) {
        double obj = glp_mip_obj_val(mip);
        if (!a->had_incumbent || obj != a->last_objective) {
            a->had_incumbent = 1;
            a->last_objective = obj;
            if (a->stall_seconds > 0) a->last_improvement = now_seconds();
            report_incumbent(T, a);
        } else if (a->stall_seconds > 0 && !a->stalled && now_seconds() - a->last_improvement > a->stall_seconds
                   && (a->stall_max_gap <= 0 || glp_ios_mip_gap(T) <= a->stall_max_gap)) {
            a->stalled = 1;
            glp_ios_terminate(T);
            return;
        }
    }

    /* Past the soft limit, the search ends once it is close enough to its bound (it had its share of the
       time, and goes on only while far from its bound, up to the hard limit). */
    if (a->soft_deadline > 0 && glp_mip_status(mip) == GLP_FEAS && now_seconds() >= a->soft_deadline
        && (a->stall_max_gap <= 0 || glp_ios_mip_gap(T) <= a->stall_max_gap)) {
        a->soft_stopped = 1;
        glp_ios_terminate(T);
        return;
    }

    int total = 0;
    glp_ios_tree_size(T, NULL, NULL, &total);
    a->nodes = total;
    if (a->node_limit > 0 && total >= a->node_limit && !a->node_limit_hit) {
        offer_start(T, a);
        a->node_limit_hit = 1;
        glp_ios_terminate(T);
        return;
    }

    /* The tree is gone once glp_intopt returns, so remember the bound now. */
    int p = glp_ios_best_node(T);
    if (p) {
        /* Nodes whose LP is not solved yet (e.g. the root at the first
           callback) carry a bound of +/-DBL_MAX: not a bound worth reporting. */
        double b = glp_ios_node_bound(T, p);
        if (fabs(b) < 0.5 * DBL_MAX) {
            a->bound = b;
            a->has_bound = 1;
        }
    }

    if (!a->fn) return;
    int report = 0;
    if (a->progress_interval >= 0) {
        double t = now_seconds();
        if (t >= a->next_report) {
            report = 1;
            a->next_report = t + a->progress_interval;
        }
    }
    if (!report && !a->poll_every_call) return;

    cglpk_event ev;
    memset(&ev, 0, sizeof ev);
    ev.reason = reason;
    ev.report = report;
    if (report) {
        glp_prob *mip = glp_ios_get_prob(T);
        if (glp_mip_status(mip) == GLP_FEAS) {
            ev.has_incumbent = 1;
            ev.incumbent = glp_mip_obj_val(mip);
            ev.has_gap = 1;
            ev.gap = glp_ios_mip_gap(T);
        }
        ev.has_bound = a->has_bound;
        ev.bound = a->bound;
    }
    if (a->fn(a->ctx, &ev)) {
        /* A stop before the first GLP_IHEUR would lose the starting solution;
           glp_ios_heur_sol only needs the tree, so hand it over now. */
        offer_start(T, a);
        a->stopped = 1;
        glp_ios_terminate(T);
    }
}

int cglpk_intopt(glp_prob *P, glp_iocp *parm, cglpk_intopt_args *args) {
    GUARD_BEGIN
    args->start_result = -1;
    args->stopped = 0;
    args->node_limit_hit = 0;
    args->stalled = 0;
    args->cheap_branchings = 0;
    args->last_reason = 0;
    args->backtracks = 0;
    args->best_bound_choices = 0;
    args->pseudocost_lp_seconds = 0;
    args->pseudocost_met = NULL;
    args->deadline = args->time_limit > 0 ? now_seconds() + args->time_limit : 0;
    args->soft_deadline = args->soft_time_limit > 0 ? now_seconds() + args->soft_time_limit : 0;
    args->soft_stopped = 0;
    args->pseudocost = parm->br_tech == GLP_BR_PCH;
    if (parm->br_tech != GLP_BR_DTH) args->driebeck_tomlin = 0;
    args->had_incumbent = 0;
    args->incumbent_kept = 0;
    args->nodes = 0;
    args->offers_accepted = 0;
    args->has_bound = 0;
    args->next_report = now_seconds();
    args->cover_rows = 0;
    args->cover_cuts = 0;
    args->covers = NULL;
    if (args->cover_root_rounds > 0 || args->cover_node_rounds > 0) {
        args->covers = cglpk_covers_new(P, args->cover_root_rounds, args->cover_node_rounds);
        args->cover_rows = cglpk_covers_rows(args->covers);
    }
    args->gomory_cuts = 0;
    args->gomory_state = NULL;
    if (args->gomory) {
        args->gomory_state = glp_alloc(1, sizeof(cglpk_gomory));
        memset(args->gomory_state, 0, sizeof(cglpk_gomory));
    }
    parm->cb_func = ios_callback;
    parm->cb_info = args;
    args->abandon_at = args->deadline > 0 && args->abandon_after > 0 ? args->deadline + args->abandon_after : 0;
    args->left_on_stop = 0;
    args->callback_left_at = now_seconds();
    watched = args;
    args->ret = glp_intopt(P, parm);
    watched = NULL;
    if (args->pseudocost_met) {
        glp_free(args->pseudocost_met);
        args->pseudocost_met = NULL;
    }
    if (args->gomory_state) {
        args->gomory_cuts = ((cglpk_gomory *)args->gomory_state)->cuts;
        glp_free(args->gomory_state);
        args->gomory_state = NULL;
    }
    if (args->covers) {
        args->cover_cuts = cglpk_covers_cuts(args->covers);
        cglpk_covers_free(args->covers);
        args->covers = NULL;
    }
    GUARD_END
}

int cglpk_solve_extended(glp_prob *P, const glp_smcp *parm, double row_upper, int ncols, const int *col_rows,
                         const double *col_uppers, int *ret, int *status, double *obj) {
    GUARD_BEGIN
    int m = glp_get_num_rows(P), n = glp_get_num_cols(P);
    int *row_stat = glp_alloc(1 + m, sizeof(int)), *col_stat = glp_alloc(1 + n, sizeof(int));
    for (int i = 1; i <= m; i++) row_stat[i] = glp_get_row_stat(P, i);
    for (int j = 1; j <= n; j++) col_stat[j] = glp_get_col_stat(P, j);
    /* The new row is basic and the new columns non-basic at zero: the solved LP's basis, one row larger. */
    int r = glp_add_rows(P, 1);
    glp_set_row_bnds(P, r, GLP_UP, 0.0, row_upper);
    int first = ncols > 0 ? glp_add_cols(P, ncols) : 0;
    for (int k = 0; k < ncols; k++) {
        int ind[3] = {0, col_rows[k], r};
        double val[3] = {0.0, 1.0, 1.0};
        glp_set_col_bnds(P, first + k, col_uppers[k] > 0.0 ? GLP_DB : GLP_FX, 0.0, col_uppers[k] > 0.0 ? col_uppers[k] : 0.0);
        glp_set_mat_col(P, first + k, 2, ind, val);
    }
    glp_smcp warm = *parm;
    warm.presolve = GLP_OFF; /* the presolver would ignore the basis */
    *ret = glp_simplex(P, &warm);
    if (*ret == GLP_EBADB || *ret == GLP_ESING || *ret == GLP_ECOND) {
        glp_adv_basis(P, 0);
        *ret = glp_simplex(P, &warm);
    }
    *status = glp_get_status(P);
    *obj = glp_get_obj_val(P);
    if (ncols > 0) {
        int *cols = glp_alloc(1 + ncols, sizeof(int));
        for (int k = 0; k < ncols; k++) cols[k + 1] = first + k;
        glp_del_cols(P, ncols, cols);
        glp_free(cols);
    }
    int rows[2] = {0, r};
    glp_del_rows(P, 1, rows);
    for (int i = 1; i <= m; i++) glp_set_row_stat(P, i, row_stat[i]);
    for (int j = 1; j <= n; j++) glp_set_col_stat(P, j, col_stat[j]);
    glp_free(row_stat);
    glp_free(col_stat);
    GUARD_END
}

/* One solution of P (the simplex's, the interior point's or the tree's), read through its own getters; a
   NULL getter or output is skipped. */
typedef struct {
    int (*status)(glp_prob *);
    double (*obj)(glp_prob *);
    double (*col)(glp_prob *, int);
    double (*row)(glp_prob *, int);
    double (*dual)(glp_prob *, int);
} solution_getters;

static int read_solution(glp_prob *P, solution_getters get, int *status, double *obj, double *cols,
                         double *rows, double *duals) {
    GUARD_BEGIN
    int m = glp_get_num_rows(P), n = glp_get_num_cols(P);
    if (status) *status = get.status(P);
    if (obj) *obj = get.obj(P);
    if (cols)
        for (int j = 1; j <= n; j++) cols[j - 1] = get.col(P, j);
    if (rows && get.row)
        for (int i = 1; i <= m; i++) rows[i - 1] = get.row(P, i);
    if (duals && get.dual)
        for (int i = 1; i <= m; i++) duals[i - 1] = get.dual(P, i);
    GUARD_END
}

int cglpk_lp_solution(glp_prob *P, int *status, double *obj, double *cols,
                      double *rows, double *duals) {
    solution_getters get = {glp_get_status, glp_get_obj_val, glp_get_col_prim, glp_get_row_prim, glp_get_row_dual};
    return read_solution(P, get, status, obj, cols, rows, duals);
}

int cglpk_ipt_solution(glp_prob *P, int *status, double *obj, double *cols, double *duals) {
    solution_getters get = {glp_ipt_status, glp_ipt_obj_val, glp_ipt_col_prim, NULL, glp_ipt_row_dual};
    return read_solution(P, get, status, obj, cols, NULL, duals);
}

int cglpk_mip_solution(glp_prob *P, int *status, double *obj, double *cols,
                       double *rows) {
    solution_getters get = {glp_mip_status, glp_mip_obj_val, glp_mip_col_val, glp_mip_row_val, NULL};
    return read_solution(P, get, status, obj, cols, rows, NULL);
}

int cglpk_write_lp(glp_prob *P, const char *path, int *ret) {
    GUARD_BEGIN
    *ret = glp_write_lp(P, NULL, path);
    GUARD_END
}

int cglpk_write_mps(glp_prob *P, const char *path, int *ret) {
    GUARD_BEGIN
    *ret = glp_write_mps(P, GLP_MPS_FILE, NULL, path);
    GUARD_END
}

int cglpk_read_mps_size(const char *path, int *ret, int *rows, int *cols,
                        int *nonzeros) {
    GUARD_BEGIN
    glp_prob *P = glp_create_prob();
    *ret = glp_read_mps(P, GLP_MPS_FILE, NULL, path);
    *rows = glp_get_num_rows(P);
    *cols = glp_get_num_cols(P);
    *nonzeros = glp_get_num_nz(P);
    glp_delete_prob(P);
    GUARD_END
}

int cglpk_delete(glp_prob *P) {
    GUARD_BEGIN
    glp_delete_prob(P);
    GUARD_END
}
