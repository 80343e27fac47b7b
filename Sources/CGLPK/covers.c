/* Lifted knapsack cover cuts, separated at every GLP_ICUTGEN call.
 *
 * GLPK's own cover generator (cov_cuts) tries mixed covers of at most three
 * binaries, which leaves the bound of generalized assignment models (each
 * agent's capacity over its jobs) far from the optimum. (The allocation's
 * capacity rows relax only to knapsacks over the binary leads, with the
 * integer day columns dropped, which its LP points did not violate once on
 * the generated 430 x 65.) Here every row that is, or relaxes to, a 0-1 knapsack
 * sum a_j z_j <= b (z_j = x_j or 1 - x_j, a_j > 0) gets, at each LP solution:
 *
 *   1. a cover C (sum over C of a_j > b) chosen greedily by (1 - z*_j) / a_j,
 *      the usual ordering for the most violated cover, then made minimal by
 *      dropping its least used members while it still covers;
 *   2. Balas's lifting of the other items: with C's weights sorted down and
 *      mu_h the sum of the h largest, an item with mu_h <= a_j < mu_(h+1)
 *      gets coefficient h. Valid for any cover: items outside C with
 *      coefficients h_j weigh at least mu_(sum h_j) (mu is subadditive), so
 *      k items of C fit beside them only when k + sum h_j <= |C| - 1;
 *   3. the cut sum_C z_j + sum h_j z_j <= |C| - 1, added when violated.
 *
 * The cuts are globally valid (built from the original rows and bounds, not
 * the node's), so GLPK may keep them in its pool for the whole tree.
 * Everything is allocated with glp_alloc: an error's longjmp frees it with
 * the environment. */

#include "covers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct cglpk_covers {
    int rows;           /* knapsack rows kept */
    int *start;         /* rows + 1 offsets into the arrays below */
    int *col;           /* GLPK column (1-based) of each item */
    double *weight;     /* a_j > 0 */
    char *complemented; /* 1: the item is 1 - x_j */
    double *capacity;   /* b of each row */
    int longest;
    /* scratch, sized by the longest row */
    int *order, *in_cover, *ind;
    double *key, *z, *val, *sorted;
    /* separation rounds at the current node, to bound the cut loop */
    int node, rounds_at_node;
    int root_rounds, node_rounds;
    long cuts;
};

static int is_binary(glp_prob *P, int j) {
    int kind = glp_get_col_kind(P, j);
    if (kind == GLP_BV) return 1;
    return kind == GLP_IV && glp_get_col_lb(P, j) == 0.0 && glp_get_col_ub(P, j) == 1.0
        && glp_get_col_type(P, j) == GLP_DB;
}

/* Appends the knapsack that sign * (row i) <= sign * bound relaxes to, if any.
   Non-binary columns are dropped at the bound that leaves the row weakest;
   a column without such a bound makes the row no knapsack. */
static void add_knapsack(cglpk_covers *c, glp_prob *P, int len, const int *ind, const double *val,
                         double sign, double bound, int *count, int *items) {
    double cap = sign * bound;
    int first = *items, n = 0;
    double total = 0.0;
    for (int k = 1; k <= len; k++) {
        int j = ind[k];
        double a = sign * val[k];
        if (a == 0.0) continue;
        if (is_binary(P, j)) {
            int pos = first + n++;
            c->col[pos] = j;
            if (a > 0) {
                c->weight[pos] = a;
                c->complemented[pos] = 0;
            } else {
                /* a x = a - a (1 - x): the item is 1 - x with weight -a. */
                c->weight[pos] = -a;
                c->complemented[pos] = 1;
                cap -= a;
            }
            total += fabs(a);
        } else {
            int type = glp_get_col_type(P, j);
            /* a y >= a lb when a > 0; a y >= a ub when a < 0. */
            if (a > 0 && (type == GLP_LO || type == GLP_DB || type == GLP_FX)) cap -= a * glp_get_col_lb(P, j);
            else if (a < 0 && (type == GLP_UP || type == GLP_DB || type == GLP_FX)) cap -= a * glp_get_col_ub(P, j);
            else return;
        }
    }
    /* Worth keeping: two or more items that do not all fit. */
    if (n < 2 || total <= cap + 1e-9 || cap < 0) return;
    c->capacity[*count] = cap;
    *items += n;
    (*count)++;
    c->start[*count] = *items;
    if (n > c->longest) c->longest = n;
}

cglpk_covers *cglpk_covers_new(glp_prob *P, int root_rounds, int node_rounds) {
    int m = glp_get_num_rows(P), n = glp_get_num_cols(P);
    int nnz = glp_get_num_nz(P);
    cglpk_covers *c = glp_alloc(1, sizeof *c);
    memset(c, 0, sizeof *c);
    /* A ranged row may give two knapsacks. */
    c->start = glp_alloc(2 * m + 1, sizeof(int));
    c->capacity = glp_alloc(2 * m + 1, sizeof(double));
    c->col = glp_alloc(2 * nnz + 1, sizeof(int));
    c->weight = glp_alloc(2 * nnz + 1, sizeof(double));
    c->complemented = glp_alloc(2 * nnz + 1, sizeof(char));
    int *ind = glp_alloc(n + 1, sizeof(int));
    double *val = glp_alloc(n + 1, sizeof(double));
    int count = 0, items = 0;
    c->start[0] = 0;
    for (int i = 1; i <= m; i++) {
        int type = glp_get_row_type(P, i);
        int len = glp_get_mat_row(P, i, ind, val);
        if (len < 2) continue;
        if (type == GLP_UP || type == GLP_DB) add_knapsack(c, P, len, ind, val, 1.0, glp_get_row_ub(P, i), &count, &items);
        if (type == GLP_LO || type == GLP_DB) add_knapsack(c, P, len, ind, val, -1.0, glp_get_row_lb(P, i), &count, &items);
    }
    glp_free(ind);
    glp_free(val);
    c->rows = count;
    int L = c->longest + 1;
    c->order = glp_alloc(L, sizeof(int));
    c->in_cover = glp_alloc(L, sizeof(int));
    c->ind = glp_alloc(L + 1, sizeof(int));
    c->key = glp_alloc(L, sizeof(double));
    c->z = glp_alloc(L, sizeof(double));
    c->val = glp_alloc(L + 1, sizeof(double));
    c->sorted = glp_alloc(L + 1, sizeof(double));
    c->node = -1;
    c->root_rounds = root_rounds;
    c->node_rounds = node_rounds;
    return c;
}

void cglpk_covers_free(cglpk_covers *c) {
    if (!c) return;
    glp_free(c->start); glp_free(c->capacity); glp_free(c->col); glp_free(c->weight); glp_free(c->complemented);
    glp_free(c->order); glp_free(c->in_cover); glp_free(c->ind); glp_free(c->key); glp_free(c->z);
    glp_free(c->val); glp_free(c->sorted);
    glp_free(c);
}

int cglpk_covers_rows(const cglpk_covers *c) { return c ? c->rows : 0; }
long cglpk_covers_cuts(const cglpk_covers *c) { return c ? c->cuts : 0; }

/* qsort has no context argument; the keys live here for the comparison. */
static _Thread_local const double *sort_key;
static int by_key_ascending(const void *x, const void *y) {
    double a = sort_key[*(const int *)x], b = sort_key[*(const int *)y];
    if (a < b) return -1;
    if (a > b) return 1;
    return *(const int *)x - *(const int *)y; /* ties by position: deterministic */
}
static int by_value_descending(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a < b) - (a > b);
}

/* Separates one row; returns 1 when a violated cut was added. */
static int separate_row(cglpk_covers *c, glp_tree *T, glp_prob *mip, int r) {
    int s = c->start[r], n = c->start[r + 1] - s;
    double cap = c->capacity[r];
    const int *col = c->col + s;
    const double *w = c->weight + s;
    const char *comp = c->complemented + s;
    for (int k = 0; k < n; k++) {
        double x = glp_get_col_prim(mip, col[k]);
        double z = comp[k] ? 1.0 - x : x;
        if (z < 0) z = 0;
        if (z > 1) z = 1;
        c->z[k] = z;
        c->order[k] = k;
        c->in_cover[k] = 0;
        c->key[k] = (1.0 - z) / w[k];
    }
    sort_key = c->key;
    qsort(c->order, (size_t)n, sizeof(int), by_key_ascending);
    double weight = 0.0;
    int size = 0;
    double tol = 1e-9 * (1.0 + fabs(cap));
    for (int t = 0; t < n && weight <= cap + tol; t++) {
        int k = c->order[t];
        if (c->z[k] <= 0.0) continue; /* an item the LP leaves out only weakens the cover */
        c->in_cover[k] = 1;
        weight += w[k];
        size++;
    }
    if (weight <= cap + tol || size < 2) return 0;
    /* Minimal: drop the least used members while the rest still covers. */
    for (int k = 0; k < n; k++) c->key[k] = c->in_cover[k] ? c->z[k] : 2.0;
    qsort(c->order, (size_t)n, sizeof(int), by_key_ascending);
    for (int t = 0; t < n; t++) {
        int k = c->order[t];
        if (!c->in_cover[k]) break;
        if (weight - w[k] > cap + tol) {
            c->in_cover[k] = 0;
            weight -= w[k];
            size--;
        }
    }
    if (size < 2) return 0;
    /* mu_h: sums of the h largest cover weights. */
    int h = 0;
    for (int k = 0; k < n; k++) if (c->in_cover[k]) c->sorted[h++] = w[k];
    qsort(c->sorted, (size_t)size, sizeof(double), by_value_descending);
    for (int t = 1; t < size; t++) c->sorted[t] += c->sorted[t - 1]; /* sorted[t] = mu_(t+1) */
    double lhs = 0.0, rhs = size - 1;
    int len = 0;
    for (int k = 0; k < n; k++) {
        double alpha;
        if (c->in_cover[k]) alpha = 1.0;
        else {
            /* largest h with mu_h <= a_k, h <= size - 1; no tolerance here, where one would be unsafe */
            int lift = 0;
            while (lift < size - 1 && c->sorted[lift] <= w[k]) lift++;
            alpha = lift;
        }
        if (alpha == 0.0) continue;
        lhs += alpha * c->z[k];
        len++;
        c->ind[len] = col[k];
        if (comp[k]) {
            c->val[len] = -alpha;
            rhs -= alpha;
        } else {
            c->val[len] = alpha;
        }
    }
    /* Violated by enough to move the LP. */
    if (lhs <= (size - 1) + 1e-3) return 0;
    glp_ios_add_row(T, NULL, 101, 0, len, c->ind, c->val, GLP_UP, rhs);
    c->cuts++;
    return 1;
}

int cglpk_covers_separate(cglpk_covers *c, glp_tree *T) {
    if (!c || c->rows == 0) return 0;
    int node = glp_ios_curr_node(T);
    if (node != c->node) {
        c->node = node;
        c->rounds_at_node = 0;
    }
    int limit = glp_ios_node_level(T, node) == 0 ? c->root_rounds : c->node_rounds;
    if (c->rounds_at_node >= limit) return 0;
    c->rounds_at_node++;
    glp_prob *mip = glp_ios_get_prob(T);
    int added = 0;
    for (int r = 0; r < c->rows; r++) added += separate_row(c, T, mip, r);
    return added;
}
