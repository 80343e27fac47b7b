#ifndef CGLPK_COVERS_H
#define CGLPK_COVERS_H

#include <glpk.h>

/* Lifted knapsack cover cuts for glp_intopt's GLP_ICUTGEN callback (covers.c). */
typedef struct cglpk_covers cglpk_covers;

/* Collects P's knapsack rows. root_rounds / node_rounds: separation rounds
   allowed at the root and at every other node. Must run inside a guard. */
cglpk_covers *cglpk_covers_new(glp_prob *P, int root_rounds, int node_rounds);
void cglpk_covers_free(cglpk_covers *c);
/* Adds violated cuts to T's pool; returns how many. */
int cglpk_covers_separate(cglpk_covers *c, glp_tree *T);
int cglpk_covers_rows(const cglpk_covers *c);
long cglpk_covers_cuts(const cglpk_covers *c);

#endif
