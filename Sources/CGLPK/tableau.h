#ifndef CGLPK_TABLEAU_H
#define CGLPK_TABLEAU_H

#include <glpk.h>

/* Rows of the simplex tableau of an LP with a valid factorisation, bit for bit as glp_eval_tab_row
   computes them, with the statuses and non-basic columns read once (tableau.c). */
typedef struct {
    int m, n;
    int *stat;               /* statuses of rows 1..m and columns m+1..m+n */
    int *start, *row;        /* the non-basic columns' entries, column by column, as glp_get_mat_col lists them */
    double *value;
    int *nonbasic, nonbasic_count;  /* the non-basic variables (less the fixed ones with skip_fixed), ascending:
                                       rows first, then columns */
    double *rho;             /* scratch: a row of the basis inverse */
} cglpk_tableau;

/* Reads mip's statuses and non-basic columns. skip_fixed: rows leave out the fixed non-basic variables
   (GLP_NS), for a use that ignores them; the other entries are the same. Must run inside a guard
   (glp_alloc). */
void cglpk_tableau_init(cglpk_tableau *t, glp_prob *mip, int skip_fixed);
/* The row of basic variable xB[basis] (1 <= basis <= m): its non-zero entries in ind/val[1..len]
   (ind: 1..m rows, m+1..m+n columns), as glp_eval_tab_row(mip, k, ind, val) gives them for the k whose
   basis position is basis. Returns len. ind and val need 1+n places. */
int cglpk_tableau_row(cglpk_tableau *t, glp_prob *mip, int basis, int *ind, double *val);
void cglpk_tableau_free(cglpk_tableau *t);

#endif
