/* Driebeck-Tomlin branching, the same choice as GLPK's GLP_BR_DTH at a fraction of its cost.
 *
 * For every fractional column the rule needs its row of the simplex tableau: one BTRAN, then the
 * product of that row of the basis inverse with every non-basic column. GLPK's glp_eval_tab_row
 * reads each of those columns through glp_get_mat_col (a walk of a linked list with argument
 * checks) and each status through the API, for every candidate in turn: on knowsley-pathways that
 * was a quarter of the whole solve's CPU (perf, 4 December), and its ratio tests (glp_dual_rtest)
 * read each entry's status and reduced cost through the API again. Here the statuses, reduced costs
 * and non-basic columns are read once per branching into flat arrays (the rows through tableau.c), and
 * each candidate's row and ratio tests are computed from them. The arithmetic is GLPK's, in GLPK's order (columns as
 * glp_get_mat_col lists them, the same products summed in the same sequence, the same tie-breaks),
 * so every tableau entry, every ratio test and so every choice is bit for bit the one GLPK would
 * make: the tree, its node count and its plans are the same.
 *
 * The rule (Driebeck 1966, Tomlin 1970): for a fractional basic x_j, one implicit dual simplex step
 * in each direction (x_j down to floor, up to ceil) estimates each branch's objective degradation,
 * the change of the entering variable rounded away from zero when it is integer (Tomlin). Branch on
 * the column whose worse branch degrades most and solve its better branch first; when no candidate
 * degrades noticeably, on the most fractional column. Everything is allocated with glp_alloc: an
 * error's longjmp frees it with the environment. */

#include "branching.h"
#include "tableau.h"

#include <float.h>
#include <math.h>

/* One candidate of glp_dual_rtest's minimal ratio test: the ratio of entry (alfa, status, reduced
   cost), or a negative value when the entry cannot enter. */
static inline double ratio(double alfa, int stat, double cost, double obj, double eps) {
    double temp;
    switch (stat) {
    case GLP_NL: if (alfa < +eps) return -1.0; temp = (obj * cost) / alfa; break;
    case GLP_NU: if (alfa > -eps) return -1.0; temp = (obj * cost) / alfa; break;
    case GLP_NF: if (-eps < alfa && alfa < +eps) return -1.0; temp = 0.0; break;
    default: return -1.0;  /* fixed (GLP_NS): never enters */
    }
    return temp < 0.0 ? 0.0 : temp;  /* round-off in a dual feasible basis */
}

/* The entering variables of the implicit dual simplex steps down (x_j to its floor, glp_dual_rtest's
   dir -1) and up (dir +1) on a tableau row, as glp_dual_rtest chooses them (the same tests and
   tie-break), in one pass, with the statuses and reduced costs read once per branching rather than
   through the API for every entry: 1-based positions in ind, 0 when none can enter. */
static void dual_ratio_tests(int len, const int *ind, const double *val, double eps, const int *stat,
                             const double *dual, double obj, int *down, int *up) {
    int piv[2] = {0, 0};
    double teta[2] = {DBL_MAX, DBL_MAX}, big[2] = {0.0, 0.0};
    for (int t = 1; t <= len; t++) {
        int k = ind[t];
        for (int side = 0; side < 2; side++) {
            double alfa = side == 0 ? -val[t] : +val[t];
            double temp = ratio(alfa, stat[k], dual[k], obj, eps);
            if (temp < 0.0) continue;
            if (teta[side] > temp || (teta[side] == temp && big[side] < fabs(alfa))) {
                piv[side] = t; teta[side] = temp; big[side] = fabs(alfa);
            }
        }
    }
    *down = piv[0];
    *up = piv[1];
}

/* The most fractional candidate and the branch nearer its value (GLPK's GLP_BR_MFV). */
static int most_fractional(glp_tree *T, glp_prob *mip, int n, int *next) {
    int chosen = 0;
    double most = DBL_MAX;
    for (int j = 1; j <= n; j++) {
        if (!glp_ios_can_branch(T, j)) continue;
        double beta = glp_get_col_prim(mip, j), middle = floor(beta) + 0.5;
        if (most > fabs(beta - middle)) {
            chosen = j;
            most = fabs(beta - middle);
            *next = beta < middle ? GLP_DN_BRNCH : GLP_UP_BRNCH;
        }
    }
    return chosen;
}

void cglpk_branch_driebeck_tomlin(glp_tree *T) {
    glp_prob *mip = glp_ios_get_prob(T);
    int m = glp_get_num_rows(mip), n = glp_get_num_cols(mip);
    if (n == 0 || glp_get_status(mip) != GLP_OPT || glp_get_dual_stat(mip) != GLP_FEAS || !glp_bf_exists(mip))
        return;  /* GLPK decides */
    int maximize = glp_get_obj_dir(mip) == GLP_MAX;
    cglpk_tableau tableau;
    /* Fixed non-basic variables never enter a ratio test (dual_ratio_tests skips GLP_NS), so their
       entries are left out of the rows: the same choice, fewer products deep in the tree. */
    cglpk_tableau_init(&tableau, mip, 1);
    int *stat = tableau.stat;
    /* Reduced costs of rows 1..m and columns m+1..m+n. */
    double *dual = glp_alloc(1 + m + n, sizeof(double));
    for (int i = 1; i <= m; i++) dual[i] = glp_get_row_dual(mip, i);
    for (int j = 1; j <= n; j++) dual[m + j] = glp_get_col_dual(mip, j);
    int *ind = glp_alloc(1 + n, sizeof(int));
    double *val = glp_alloc(1 + n, sizeof(double));

    int chosen = 0, next = GLP_NO_BRNCH;
    double degrad = -1.0;
    for (int j = 1; j <= n; j++) {
        if (!glp_ios_can_branch(T, j)) continue;
        double x = glp_get_col_prim(mip, j);
        int basis = glp_get_col_bind(mip, j);
        if (basis < 1 || basis > m) { chosen = 0; break; }  /* not basic: leave the choice to GLPK */
        /* This column's row of the simplex tableau, as glp_eval_tab_row computes it. */
        int len = cglpk_tableau_row(&tableau, mip, basis, ind, val);
        double change[2];  /* objective change of the down and up branch */
        int enters[2];
        dual_ratio_tests(len, ind, val, 1e-9, stat, dual, maximize ? -1.0 : +1.0, &enters[0], &enters[1]);
        for (int side = 0; side < 2; side++) {
            int kase = side == 0 ? -1 : +1;
            int entering = enters[side];
            if (entering == 0) {  /* that branch is infeasible */
                change[side] = maximize ? -DBL_MAX : +DBL_MAX;
                continue;
            }
            int k = ind[entering];
            double alfa = val[entering];
            double delta_k = ((kase < 0 ? floor(x) : ceil(x)) - x) / alfa;
            if (k > m && glp_get_col_kind(mip, k - m) != GLP_CV && fabs(delta_k - floor(delta_k + 0.5)) > 1e-3)
                delta_k = delta_k > 0.0 ? ceil(delta_k) : floor(delta_k);
            double dk = dual[k];
            int s = stat[k];
            /* A reduced cost of the wrong sign is round-off in a dual degenerate basis. */
            if (maximize ? (s == GLP_NL && dk > 0.0) || (s == GLP_NU && dk < 0.0) || s == GLP_NF
                         : (s == GLP_NL && dk < 0.0) || (s == GLP_NU && dk > 0.0) || s == GLP_NF)
                dk = 0.0;
            change[side] = dk * delta_k;
        }
        double down = fabs(change[0]), up = fabs(change[1]);
        if (degrad < down || degrad < up) {
            chosen = j;
            if (down < up) { next = GLP_DN_BRNCH; degrad = up; }
            else { next = GLP_UP_BRNCH; degrad = down; }
            if (degrad == DBL_MAX) break;
        }
    }
    if (chosen && degrad < 1e-6 * (1.0 + 0.001 * fabs(glp_get_obj_val(mip))))
        chosen = most_fractional(T, mip, n, &next);
    if (chosen) glp_ios_branch_upon(T, chosen, next);

    glp_free(val);
    glp_free(ind);
    glp_free(dual);
    cglpk_tableau_free(&tableau);
}
