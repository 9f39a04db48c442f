#include "services/reform/reform_query_service.h"

namespace reformlog::services {}  // namespace reformlog::services
