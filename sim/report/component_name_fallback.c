/* Weak stand-in for models' component_name() (models/node.h), so the report
 * library and its tests link before/without the node model library; the
 * strong definition in models/ wins whenever it is linked in. The names are
 * the contract of summary.json (node.h comment). */
#include "../../models/node.h"

__attribute__((weak)) const char *component_name(component c)
{
    static const char *const names[COMP__COUNT] = {"cluster", "npu", "dma", "l1",
                                                   "l2", "hyperram", "link", "idle"};
    return (unsigned)c < COMP__COUNT ? names[c] : "?";
}
