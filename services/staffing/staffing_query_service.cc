#include "services/staffing/staffing_query_service.h"

namespace reformlog::services {}  // namespace reformlog::services
