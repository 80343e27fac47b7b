#ifndef CGLPK_BRANCHING_H
#define CGLPK_BRANCHING_H

#include <glpk.h>

/* Driebeck-Tomlin branching for glp_intopt's GLP_IBRANCH callback (branching.c): chooses the column
   and the branch GLPK's own rule (GLP_BR_DTH) would, and branches on it. Must run inside a guard. */
void cglpk_branch_driebeck_tomlin(glp_tree *T);

#endif
