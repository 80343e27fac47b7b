/* Rows of the simplex tableau, as GLPK's glp_eval_tab_row computes them, for the shim's branching
 * (branching.c) and Gomory cuts (gomory.c), which need many rows of the same basis.
 *
 * glp_eval_tab_row computes one row: a BTRAN of a unit vector gives the row of the basis inverse, and
 * its product with each non-basic column gives the row's entries. It reads each of those columns
 * through glp_get_mat_col (a walk of a linked list with argument checks) and each status through the
 * API, for every row it is asked for. Here statuses and columns are read once per basis; each row then
 * costs the BTRAN and the products. The products are GLPK's, summed in GLPK's order (the column's
 * entries as glp_get_mat_col lists them), and zero entries are dropped as GLPK drops them, so every
 * entry is bit for bit the one glp_eval_tab_row would give. */

#include "tableau.h"

void cglpk_tableau_init(cglpk_tableau *t, glp_prob *mip, int skip_fixed) {
    int m = glp_get_num_rows(mip), n = glp_get_num_cols(mip);
    t->m = m;
    t->n = n;
    t->stat = glp_alloc(1 + m + n, sizeof(int));
    for (int i = 1; i <= m; i++) t->stat[i] = glp_get_row_stat(mip, i);
    for (int j = 1; j <= n; j++) t->stat[m + j] = glp_get_col_stat(mip, j);
    int nonzeros = glp_get_num_nz(mip);
    t->start = glp_alloc(2 + n, sizeof(int));
    t->row = glp_alloc(1 + nonzeros + 1, sizeof(int));
    t->value = glp_alloc(1 + nonzeros + 1, sizeof(double));
    t->start[1] = 1;
    for (int j = 1; j <= n; j++) {
        int len = t->stat[m + j] == GLP_BS || (skip_fixed && t->stat[m + j] == GLP_NS) ? 0 : glp_get_mat_col(mip, j, t->row + t->start[j] - 1, t->value + t->start[j] - 1);
        t->start[j + 1] = t->start[j] + len;
    }
    t->nonbasic = glp_alloc(1 + m + n, sizeof(int));
    t->nonbasic_count = 0;
    for (int k = 1; k <= m + n; k++)
        if (t->stat[k] != GLP_BS && !(skip_fixed && t->stat[k] == GLP_NS)) t->nonbasic[++t->nonbasic_count] = k;
    t->rho = glp_alloc(1 + m, sizeof(double));
}

int cglpk_tableau_row(cglpk_tableau *t, glp_prob *mip, int basis, int *ind, double *val) {
    int m = t->m;
    double *rho = t->rho;
    for (int i = 1; i <= m; i++) rho[i] = 0.0;
    rho[basis] = 1.0;
    glp_btran(mip, rho);
    int len = 0;
    for (int q = 1; q <= t->nonbasic_count; q++) {
        int k = t->nonbasic[q];
        double alfa;
        if (k <= m) {
            alfa = -rho[k];
        } else {
            alfa = 0.0;
            for (int e = t->start[k - m]; e < t->start[k - m + 1]; e++) alfa += rho[t->row[e]] * t->value[e];
        }
        if (alfa != 0.0) { len++; ind[len] = k; val[len] = alfa; }
    }
    return len;
}

void cglpk_tableau_free(cglpk_tableau *t) {
    glp_free(t->rho);
    glp_free(t->nonbasic);
    glp_free(t->value);
    glp_free(t->row);
    glp_free(t->start);
    glp_free(t->stat);
}
