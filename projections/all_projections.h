// Every read model reformd keeps, in one place.
#ifndef REFORMLOG_PROJECTIONS_ALL_PROJECTIONS_H_
#define REFORMLOG_PROJECTIONS_ALL_PROJECTIONS_H_

#include <memory>
#include <vector>

#include "projections/projection.h"

namespace reformlog::projections {

std::vector<std::unique_ptr<Projection>> AllProjections();

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_ALL_PROJECTIONS_H_
