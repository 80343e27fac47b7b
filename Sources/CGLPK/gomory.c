/* Gomory's mixed integer cuts, the cuts GLPK's generator makes at a fraction of its cost.
 *
 * GLPK's generator (glp_gmi_gen, called by its branch-and-cut driver) computes, for up to 50 basic
 * integer columns with fractional values, the column's row of the simplex tableau through
 * glp_eval_tab_row, which reads every non-basic column through glp_get_mat_col again for every row:
 * on knowsley-pathways a fifth of the search with every cut on (perf, 4 December). Here the statuses
 * and non-basic columns are read once per round (tableau.c) and each cut is computed from them with
 * GLPK's own arithmetic in GLPK's order (glp_gmi_cut's formulas, the same tolerances, the same
 * candidates in the same order, handed to the tree in the order GLPK's driver hands them), so every
 * cut is bit for bit GLPK's and the tree is the same. Each auxiliary row a cut substitutes is read
 * once per round, not once per cut.
 *
 * GLPK runs its generator inside its driver, after the GLP_ICUTGEN callback, only when its own
 * bookkeeping allows: at the root while fewer than four rounds in a row moved the bound by less than
 * 1e-4 (relative), elsewhere only at nodes reached by backtracking and there only while the last
 * round moved the bound; never after seven re-optimisations of a node, or once max(n, 1000) cuts are
 * in the problem. That bookkeeping lives in the driver's local variables, so it is followed
 * here from the sequence of callback events (cglpk_gomory_follow), which the driver's code fixes. */

#include "gomory.h"
#include "tableau.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define frac(x) ((x) - floor(x))

void cglpk_gomory_follow(cglpk_gomory *g, glp_tree *T, int reason) {
    switch (reason) {
    case GLP_ISELECT:
        /* The driver's main loop: a new node is about to be chosen. If the last node was just branched
           on (both children made, or both pruned), the driver remembers it as the parent; a node fathomed
           on the way gets no parent. */
        g->parent_branched = g->last_reason == GLP_IBRANCH ? g->branched : 0;
        g->new_node = 1;
        g->changed = 0;
        g->cut_round = 0;
        g->bad_rounds = 0;
        break;
    case GLP_IPREPRO:
        if (g->new_node) {
            /* As the driver does after reviving a node: a node that is not a child of the last node
               branched on was reached by backtracking. */
            int p = glp_ios_curr_node(T), up = glp_ios_up_node(T, p);
            if (up != 0 && up != g->parent_branched) g->parent_branched = 0;
            g->new_node = 0;
        }
        /* Back at the node's LP after a round of cuts: the cuts were added, the node changed. */
        if (g->cut_round) g->changed++;
        g->cut_round = 0;
        break;
    case GLP_IBRANCH:
        /* The root's cut loop ends before its first branching; a branching that prunes one child
           goes on with the other as a fresh node. */
        g->root_done = 1;
        g->branched = glp_ios_curr_node(T);
        g->changed = 0;
        g->cut_round = 0;
        break;
    default:
        break;
    }
    g->last_reason = reason;
}

struct candidate { int j; double f; };

/* glp_gmi_gen's order: most fractional first (qsort, as GLPK sorts them). */
static int more_fractional(const void *p1, const void *p2) {
    const struct candidate *a = p1, *b = p2;
    if (a->f > b->f) return -1;
    if (a->f < b->f) return +1;
    return 0;
}

/* The rows of P as glp_get_mat_row lists them, each read once per round and only when a cut needs it:
   the same auxiliary rows come back in cut after cut. */
typedef struct {
    int *first;   /* 1+m: where row i starts in ind/val, or -1 until it is read */
    int *length;  /* 1+m */
    int *ind;     /* 1+nonzeros */
    double *val;
    int used;
} row_cache;

static void row_cache_init(row_cache *c, glp_prob *P) {
    int m = glp_get_num_rows(P), nonzeros = glp_get_num_nz(P);
    c->first = glp_alloc(1 + m, sizeof(int));
    c->length = glp_alloc(1 + m, sizeof(int));
    for (int i = 1; i <= m; i++) c->first[i] = -1;
    c->ind = glp_alloc(1 + nonzeros + 1, sizeof(int));
    c->val = glp_alloc(1 + nonzeros + 1, sizeof(double));
    c->used = 0;
}

/* Row i's column indices and values at ind[1..len], val[1..len]. */
static int row_cache_get(row_cache *c, glp_prob *P, int i, const int **ind, const double **val) {
    if (c->first[i] < 0) {
        c->first[i] = c->used;
        c->length[i] = glp_get_mat_row(P, i, c->ind + c->used, c->val + c->used);
        c->used += c->length[i];
    }
    *ind = c->ind + c->first[i];
    *val = c->val + c->first[i];
    return c->length[i];
}

static void row_cache_free(row_cache *c) {
    glp_free(c->val);
    glp_free(c->ind);
    glp_free(c->length);
    glp_free(c->first);
}

/* glp_gmi_cut for basic integer column j: the cut sum val[k] x[ind[k]] >= val[0] over structural
   columns in ind/val[1..len], or a negative code when there is none. phi needs 1+m+n places, ind and
   val 1+n. phi is cleared and scanned whole for every cut, as glp_gmi_cut does: doing it sparsely
   needs the structural entries sorted, which measured dearer (callgrind, knowsley-pathways: 103.2e9 ->
   107.7e9 instructions). */
static int gomory_cut(cglpk_tableau *t, glp_prob *P, int j, int *ind, double *val, double *phi, row_cache *rows) {
    int m = t->m, n = t->n;
    double prim = glp_get_col_prim(P, j);
    if (fabs(prim - floor(prim + 0.5)) < 0.001) return -6;
    int len = cglpk_tableau_row(t, P, glp_get_col_bind(P, j), ind, val);
    double beta = prim;
    for (int k = 1; k <= m + n; k++) phi[k] = 0.0;
    double rhs = frac(beta);
    for (int q = 1; q <= len; q++) {
        int k = ind[q], stat = t->stat[k];
        double ksi = val[q];
        if (fabs(ksi) > 1e+05) return -7;
        if (fabs(ksi) < 1e-10) continue;
        double alfa;
        switch (stat) {
        case GLP_NF: return -8;
        case GLP_NL: alfa = -ksi; break;
        case GLP_NU: alfa = +ksi; break;
        default: continue;  /* GLP_NS: fixed */
        }
        /* Kind and active bound read only for the entries that make the cut (rows are continuous). */
        int integer = k > m && glp_get_col_kind(P, k - m) != GLP_CV;
        double phi1;
        if (integer) {
            if (fabs(alfa - floor(alfa + 0.5)) < 1e-10) continue;
            else if (frac(alfa) <= frac(beta)) phi1 = frac(alfa);
            else phi1 = (frac(beta) / (1.0 - frac(beta))) * (1.0 - frac(alfa));
        } else {
            if (alfa >= 0.0) phi1 = +alfa;
            else phi1 = (frac(beta) / (1.0 - frac(beta))) * (-alfa);
        }
        if (stat == GLP_NL) {
            phi[k] = +phi1;
            rhs += phi1 * (k <= m ? glp_get_row_lb(P, k) : glp_get_col_lb(P, k - m));
        } else {
            phi[k] = -phi1;
            rhs -= phi1 * (k <= m ? glp_get_row_ub(P, k) : glp_get_col_ub(P, k - m));
        }
    }
    /* Auxiliary variables out: x[i] = sum a[i,j] x[m+j], in the row's own order. */
    for (int i = 1; i <= m; i++) {
        if (fabs(phi[i]) < 1e-10) continue;
        const int *row_ind;
        const double *row_val;
        int row_len = row_cache_get(rows, P, i, &row_ind, &row_val);
        for (int e = 1; e <= row_len; e++) phi[m + row_ind[e]] += phi[i] * row_val[e];
    }
    /* Sparse, with fixed columns moved to the right-hand side. */
    len = 0;
    for (int c = 1; c <= n; c++) {
        if (fabs(phi[m + c]) < 1e-10) continue;
        if (glp_get_col_type(P, c) == GLP_FX) {
            rhs -= phi[m + c] * glp_get_col_lb(P, c);
        } else {
            len++;
            ind[len] = c;
            val[len] = phi[m + c];
        }
    }
    if (fabs(rhs) < 1e-12) rhs = 0.0;
    ind[0] = 0;
    val[0] = rhs;
    return len;
}

/* GLPK's round: glp_gmi_gen's cuts, handed to the tree's cut pool as ios_driver hands them. The driver
   stores them as rows of a problem of its own and reads each back with glp_get_mat_row, which lists a
   row set by glp_set_mat_row in reverse (each element goes to the head of the row's list); the cuts
   are kept here and handed over in that order, without the round trip. */
static void gomory_round(cglpk_gomory *g, glp_tree *T, glp_prob *P) {
    int m = glp_get_num_rows(P), n = glp_get_num_cols(P);
    struct candidate *candidates = glp_alloc(1 + n, sizeof(struct candidate));
    int count = 0;
    for (int j = 1; j <= n; j++) {
        if (glp_get_col_kind(P, j) == GLP_CV || glp_get_col_type(P, j) == GLP_FX || glp_get_col_stat(P, j) != GLP_BS)
            continue;
        double f = frac(glp_get_col_prim(P, j));
        if (!(0.05 <= f && f <= 0.95)) continue;
        count++;
        candidates[count].j = j;
        candidates[count].f = f;
    }
    if (count == 0) { glp_free(candidates); return; }
    qsort(&candidates[1], count, sizeof(struct candidate), more_fractional);
    cglpk_tableau tableau;
    /* Every non-basic variable, fixed ones too: glp_gmi_cut rejects a row with any entry over 1e5
       in magnitude before it skips the fixed ones. */
    cglpk_tableau_init(&tableau, P, 0);
    row_cache rows;
    row_cache_init(&rows, P);
    int *ind = glp_alloc(1 + n, sizeof(int));
    double *val = glp_alloc(1 + n, sizeof(double));
    double *phi = glp_alloc(1 + m + n, sizeof(double));
    /* The round's cuts one after another, each reversed as the driver's round trip reverses it: cut c
       is at positions first[c]+1 .. first[c]+length[c]. */
    enum { most_cuts = 50 };
    int first[1 + most_cuts], length[1 + most_cuts];
    double rhs[1 + most_cuts];
    int capacity = 4 * n + 16, used = 0;
    int *cut_ind = glp_alloc(1 + capacity, sizeof(int));
    double *cut_val = glp_alloc(1 + capacity, sizeof(double));
    int made = 0;
    for (int t = 1; t <= count; t++) {
        int len = gomory_cut(&tableau, P, candidates[t].j, ind, val, phi, &rows);
        if (len < 1) continue;
        /* Badly scaled: rejected, as GLPK does. */
        int scaled = 1;
        for (int k = 1; k <= len; k++)
            if (fabs(val[k]) < 1e-03 || fabs(val[k]) > 1e+03) { scaled = 0; break; }
        if (!scaled) continue;
        if (used + len > capacity) {
            capacity = 2 * (used + len);
            int *grown_ind = glp_alloc(1 + capacity, sizeof(int));
            double *grown_val = glp_alloc(1 + capacity, sizeof(double));
            memcpy(grown_ind + 1, cut_ind + 1, used * sizeof(int));
            memcpy(grown_val + 1, cut_val + 1, used * sizeof(double));
            glp_free(cut_ind);
            glp_free(cut_val);
            cut_ind = grown_ind;
            cut_val = grown_val;
        }
        made++;
        first[made] = used;
        length[made] = len;
        rhs[made] = val[0];
        for (int k = 1; k <= len; k++) {
            cut_ind[used + len + 1 - k] = ind[k];
            cut_val[used + len + 1 - k] = val[k];
        }
        used += len;
        if (made == most_cuts) break;
    }
    for (int c = 1; c <= made; c++)
        glp_ios_add_row(T, NULL, GLP_RF_GMI, 0, length[c], cut_ind + first[c], cut_val + first[c], GLP_LO, rhs[c]);
    g->cuts += made;
    glp_free(cut_val);
    glp_free(cut_ind);
    glp_free(phi);
    glp_free(val);
    glp_free(ind);
    row_cache_free(&rows);
    cglpk_tableau_free(&tableau);
    glp_free(candidates);
}

void cglpk_gomory_separate(cglpk_gomory *g, glp_tree *T) {
    glp_prob *P = glp_ios_get_prob(T);
    /* The driver's test after the callback: did the last round at this node move the bound? */
    double objective = glp_get_obj_val(P);
    if (g->changed > 0) {
        double moved = fabs(objective - g->previous_objective);
        if (moved < 1e-4 * (1.0 + fabs(g->previous_objective))) g->bad_rounds++;
        else g->bad_rounds = 0;
    }
    g->previous_objective = objective;
    g->cut_round = 1;
    if (!(g->bad_rounds == 0 || (!g->root_done && g->bad_rounds <= 3))) return;
    if (!(!g->root_done || g->parent_branched == 0)) return;
    /* generate_cuts: no more once max(n, 1000) cuts are in the problem; Gomory's only while the node
       has been re-optimised fewer than seven times. */
    if (g->changed >= 7) return;
    int m = glp_get_num_rows(P), n = glp_get_num_cols(P);
    int most = n < 1000 ? 1000 : n, cuts = 0;
    for (int i = 1; i <= m; i++) {
        glp_attr attr;
        glp_ios_row_attr(T, i, &attr);
        if (attr.origin == GLP_RF_CUT) cuts++;
    }
    if (cuts >= most) return;
    if (!(m == 0 || glp_bf_exists(P)) || glp_get_prim_stat(P) != GLP_FEAS || glp_get_dual_stat(P) != GLP_FEAS) return;
    gomory_round(g, T, P);
}
