#ifndef CGLPK_H
#define CGLPK_H

#include <glpk.h>
#include <stddef.h>

/*
 * Guarded GLPK shims.
 *
 * GLPK aborts the process on internal errors (glp_error). Every shim below
 * does its own setjmp and installs an error hook that longjmps back to it, so
 * a GLPK error never unwinds through Swift frames. After a caught error the
 * (thread-local) GLPK environment is freed, which invalidates every glp_prob
 * of the calling thread; cglpk_generation() is bumped so Swift can tell.
 *
 * All shims return CGLPK_OK, CGLPK_ERROR (GLPK internal error caught; see
 * cglpk_error_message()) or CGLPK_REENTERED (a shim was called from inside a
 * GLPK callback on the same thread; refused because an error there would
 * free the environment under the running solver).
 *
 * All state (jmp_buf, log, generation) is thread-local, like GLPK 5.0's env.
 */

#define CGLPK_OK 0
#define CGLPK_ERROR 1
#define CGLPK_REENTERED 2
/* cglpk_intopt: the search was still inside GLPK abandon_after seconds past its time limit, or a second after
   fn asked it to stop, and was left (the environment freed, as after an error); the args hold the last
   incumbent and bound. cglpk_simplex: its poll asked to stop. */
#define CGLPK_ABANDONED 3

/* Bumped every time the calling thread's GLPK environment is freed. */
unsigned long cglpk_generation(void);

/* Captured terminal output of this thread (NUL-terminated, never NULL). */
const char *cglpk_log(void);
void cglpk_log_clear(void);
/* Message of the last caught internal error on this thread ("" if none). */
const char *cglpk_error_message(void);

/* Copies glp_version() into buf (the env-owned string may be freed later). */
void cglpk_version(char *buf, size_t cap);

/* Frees this thread's GLPK environment and buffers (bumps the generation).
   For dedicated solver threads about to exit: GLPK never frees a TLS env. */
void cglpk_thread_cleanup(void);

int cglpk_create(glp_prob **out, const char *name, int dir, double obj_const);

/* names: n consecutive NUL-terminated strings (empty = unnamed).
   types: GLP_FR/LO/UP/DB/FX; kinds: GLP_CV/GLP_IV. All arrays 0-based. */
int cglpk_add_cols(glp_prob *P, int n, const char *names, const int *kinds,
                   const int *types, const double *lbs, const double *ubs,
                   const double *objs);
int cglpk_add_rows(glp_prob *P, int n, const char *names, const int *types,
                   const double *lbs, const double *ubs);

/* ia/ja/ar are 1-based in GLPK style (element 0 unused). */
int cglpk_load_matrix(glp_prob *P, int ne, const int *ia, const int *ja,
                      const double *ar);

typedef struct {
    int reason;          /* GLP_I* reason code */
    int report;          /* non-zero: progress interval elapsed, data filled */
    int has_incumbent;
    double incumbent;
    int has_bound;
    double bound;
    int has_gap;
    double gap;
} cglpk_event;

/* Return non-zero to terminate the search (glp_ios_terminate). */
typedef int (*cglpk_event_fn)(void *ctx, const cglpk_event *event);

/* basis: 0 keep the current basis, 1 standard basis, 2 advanced (crash)
   basis. *ret receives glp_simplex's return code.
   poll (may be NULL) is called at each of the simplex's progress lines (every parm->out_frq ms) with an empty
   event; when it returns non-zero the simplex is left (CGLPK_ABANDONED, the environment freed as after an
   error): it has no callback and no other way to stop. */
int cglpk_simplex(glp_prob *P, const glp_smcp *parm, int basis, int *ret, cglpk_event_fn poll, void *poll_ctx);

/* P's LP relaxation by GLPK's interior-point method (glp_interior, approximate minimum degree ordering).
   *ret receives its return code; GLP_EINSTAB, which it gives near the optimum on many allocation models,
   still leaves its best point. poll as for cglpk_simplex, at each iteration's line. */
int cglpk_interior(glp_prob *P, int *ret, cglpk_event_fn poll, void *poll_ctx);

/* The interior-point solution (glp_ipt_*): status, objective, n column values and m row duals (0-based). */
int cglpk_ipt_solution(glp_prob *P, int *status, double *obj, double *cols, double *duals);

/* Trades incumbents with a search running beside branch-and-bound (on another thread, with its own
   GLPK environment). At GLP_IBINGO it gets the tree's new incumbent (incumbent: n values, 0-based;
   offer NULL). At GLP_IHEUR (incumbent NULL) it may write n values into offer and return non-zero to
   have them offered to the tree. Must not call GLPK. */
typedef int (*cglpk_exchange_fn)(void *ctx, int n, const double *incumbent, double *offer);

/* A primal heuristic of the caller's own, run at GLP_IHEUR on the node's LP solution (relaxation: n
   values, 0-based). It may write n values into offer and return non-zero to have them offered to the
   tree. Must not call GLPK. */
typedef int (*cglpk_node_heuristic_fn)(void *ctx, int n, const double *relaxation, double *offer);

typedef struct {
    /* inputs */
    const double *start;       /* n column values, 0-based, or NULL */
    cglpk_exchange_fn exchange; /* may be NULL */
    void *exchange_ctx;
    cglpk_node_heuristic_fn node_heuristic; /* may be NULL */
    void *node_heuristic_ctx;
    double progress_interval;  /* seconds between reports; < 0: never report */
    int poll_every_call;       /* call fn at every callback (for stop polling) */
    int node_limit;            /* stop once this many nodes were created (0: no limit); deterministic, unlike time */
    cglpk_event_fn fn;         /* may be NULL */
    void *ctx;
    int cover_root_rounds;     /* lifted knapsack cover cuts (covers.c): separation rounds at the root */
    int cover_node_rounds;     /* ... and at every other node; both 0: none */
    double stall_seconds;      /* > 0: stop once the incumbent has not improved for this long */
    double stall_max_gap;      /* > 0: ... only while the relative gap (glp_ios_mip_gap) is at most this */
    int driebeck_tomlin;       /* with parm->br_tech GLP_BR_DTH: the shim makes GLPK's choice itself, faster (branching.c) */
    int gomory;                /* Gomory's cuts made by the shim, as GLPK makes them but faster (gomory.c), with
                                  parm->gmi_cuts off */
    double time_limit;         /* > 0: seconds the search may take (as parm->tm_lim); near its end the shim
                                  branches itself, see branch_cheaply in guard.c */
    double abandon_after;      /* with time_limit, > 0: seconds past it after which the search is left at
                                  GLPK's next line of output (CGLPK_ABANDONED); 0: never */
    double soft_time_limit;    /* > 0, below time_limit: seconds after which the search ends as soon as its relative
                                  gap is at most stall_max_gap (at once when stall_max_gap <= 0); time_limit stays
                                  the hard end */
    double *incumbent;         /* n values, 0-based, or NULL: each new incumbent is copied here */
    int best_bound_every;      /* > 0: every this many backtracks (a node chosen other than right after a branching),
                                  the active node with the best local bound is chosen instead of parm->bt_tech's */
    int best_bound_when_stale; /* > 0, with best_bound_every: once this many backtracks have gone by without a new
                                  incumbent, every backtrack chooses the best-bound node, until one comes */
    /* outputs */
    int ret;                   /* glp_intopt return code */
    int start_result;          /* -1 not offered, 0 accepted, 1 rejected */
    int stopped;               /* fn asked to terminate */
    int node_limit_hit;        /* the search stopped at node_limit */
    int stalled;               /* the search stopped at stall_seconds without a better plan */
    int soft_stopped;          /* the search stopped past soft_time_limit */
    int cheap_branchings;      /* branchings the shim chose itself near the time limit */
    int best_bound_choices;    /* backtracks to the best-bound node (best_bound_every) */
    int nodes;                 /* nodes created so far (glp_ios_tree_size total) */
    int offers_accepted;       /* solutions from exchange that became the incumbent */
    int heuristic_offers;      /* plans node_heuristic offered */
    int heuristic_accepted;    /* ... that became the incumbent */
    int incumbent_kept;        /* incumbent holds the latest incumbent */
    int left_on_stop;          /* CGLPK_ABANDONED because fn asked to stop (else the time limit) */
    int has_bound;             /* best bound seen in the last callback */
    double bound;
    int cover_rows;            /* rows the cover cuts were separated from */
    long cover_cuts;           /* cover cuts added */
    long gomory_cuts;          /* Gomory's cuts the shim handed to GLPK's pool */
    /* internal */
    double next_report;
    void *covers;
    void *gomory_state;        /* gomory.c's view of the search */
    int had_incumbent;         /* the incumbent last seen ... */
    double last_objective, last_improvement;  /* ... its objective, and when it came (with stall_seconds) */
    double deadline;           /* now_seconds() at which time_limit ends (0: none) */
    double soft_deadline;      /* ... and soft_time_limit (0: none) */
    double abandon_at;         /* ... and after which the search is left at GLPK's next line (0: never) */
    double callback_left_at;   /* when the callback last returned */
    int last_reason;           /* the reason of the callback before this one */
    int backtracks;            /* nodes chosen other than right after a branching */
    int backtracks_at_incumbent;  /* backtracks when the incumbent last changed (best_bound_when_stale) ... */
    int seen_incumbent;        /* ... whether there has been one, */
    double seen_objective;     /* ... and its objective */
    double pseudocost_lp_seconds;  /* one LP as pseudocost branching makes it, timed for branch_cheaply */
    unsigned char *pseudocost_met; /* per column from 1: GLPK has computed its pseudocosts (as far as the shim knows) */
    int pseudocost;            /* parm->br_tech is GLP_BR_PCH, the only rule branch_cheaply stands in for */
} cglpk_intopt_args;

/* parm->cb_func/cb_info are overwritten with the shim's own callback. */
int cglpk_intopt(glp_prob *P, glp_iocp *parm, cglpk_intopt_args *args);

/* A solved LP with one more row (upper bound row_upper) and ncols more columns, column k bounded by
   [0, col_uppers[k]] with coefficient 1 in existing row col_rows[k] (1-based) and in the new row, solved
   from the LP's basis with the presolver off (cold only if that basis will not factorize); the row and
   columns are then removed and the basis statuses put back. *ret: glp_simplex's; *status and *obj: the
   extended LP's. */
int cglpk_solve_extended(glp_prob *P, const glp_smcp *parm, double row_upper, int ncols, const int *col_rows,
                         const double *col_uppers, int *ret, int *status, double *obj);

/* Bulk reads; arrays are 0-based, sized by row/column count; any may be NULL. */
int cglpk_lp_solution(glp_prob *P, int *status, double *obj, double *cols,
                      double *rows, double *duals);
int cglpk_mip_solution(glp_prob *P, int *status, double *obj, double *cols,
                       double *rows);

/* *ret receives glp_write_lp / glp_write_mps(GLP_MPS_FILE) return code. */
int cglpk_write_lp(glp_prob *P, const char *path, int *ret);
int cglpk_write_mps(glp_prob *P, const char *path, int *ret);

/* Reads a free MPS file into a fresh problem, reports its size and deletes it.
   *ret receives glp_read_mps's return code. Used to round-trip-check files. */
int cglpk_read_mps_size(const char *path, int *ret, int *rows, int *cols,
                        int *nonzeros);

int cglpk_delete(glp_prob *P);

#endif
