#include "services/feed/event_convert.h"

#include <utility>

namespace reformlog::services {

void ToApiEvent(eventstore::RecordedEvent&& event, api::v1::Event* out) {
  out->set_position(event.position);
  out->set_stream_id(std::move(event.stream_id));
  out->set_stream_version(event.stream_version);
  out->set_event_id(std::move(event.event_id));
  out->set_type(std::move(event.type));
  out->set_data(std::move(event.data));
  out->set_recorded_at_us(event.recorded_at_us);
  out->set_effective_date(std::move(event.effective_date));
  out->set_principal(std::move(event.principal));
  if (event.basis != eventstore::DocumentBasis{}) {
    api::v1::DocumentBasis* basis = out->mutable_basis();
    basis->set_number(std::move(event.basis.number));
    basis->set_issuer(std::move(event.basis.issuer));
    basis->set_date(std::move(event.basis.date));
    basis->set_title(std::move(event.basis.title));
  }
  out->set_commit_id(std::move(event.commit_id));
  out->set_correlation_id(std::move(event.correlation_id));
  out->set_causation_id(std::move(event.causation_id));
}

eventstore::EventFilter FromApiFilter(const api::v1::EventFilter& filter) {
  eventstore::EventFilter out;
  out.stream_prefix = filter.stream_prefix();
  out.event_types.assign(filter.event_types().begin(), filter.event_types().end());
  return out;
}

}  // namespace reformlog::services
