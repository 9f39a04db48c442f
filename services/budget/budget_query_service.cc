#include "services/budget/budget_query_service.h"

namespace reformlog::services {}  // namespace reformlog::services
