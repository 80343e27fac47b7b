#ifndef CGLPK_GOMORY_H
#define CGLPK_GOMORY_H

#include <glpk.h>

/* Gomory's mixed integer cuts for glp_intopt's callback, made where and as GLPK's own generator
   (iocp.gmi_cuts) makes them, at a fraction of its cost (gomory.c). The search runs with gmi_cuts off
   and this in its place. */
typedef struct {
    /* What ios_driver keeps in local variables and the current node, followed from the callback's
       events: whether the root's cut loop is over, the node branched on last (and whether the node
       now processed is its child), re-optimisations after cuts at this node, rounds in a row whose
       cuts moved the bound too little, and the bound before the last round. */
    int root_done, branched, parent_branched, last_reason, new_node;
    int changed, cut_round, bad_rounds;
    double previous_objective;
    long cuts;  /* cuts handed to GLPK's pool */
} cglpk_gomory;

/* Follows the search; call at every callback event, before anything else. */
void cglpk_gomory_follow(cglpk_gomory *g, glp_tree *T, int reason);
/* At GLP_ICUTGEN, after the callback's own cuts: adds the cuts GLPK's generator would add now. Must run
   inside a guard. */
void cglpk_gomory_separate(cglpk_gomory *g, glp_tree *T);

#endif
