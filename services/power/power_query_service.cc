#include "services/power/power_query_service.h"

namespace reformlog::services {}  // namespace reformlog::services
