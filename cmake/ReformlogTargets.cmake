# Helpers shared by every CMakeLists.txt of the project.

# Our own code: warnings are errors. Generated code (protoc output) does not use this.
function(reformlog_strict target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror
                         -Wno-missing-field-initializers)
endfunction()

# reformlog_proto_library(NAME name PROTOS a.proto ... [DEPS targets] [GRPC])
# Compiles .proto files (paths relative to ${PROJECT_SOURCE_DIR}/proto) into a static library
# of messages, `name`. With GRPC the services' stubs go into a second library, `name`_grpc,
# so that code needing only the messages (the pure decisions) cannot link gRPC.
function(reformlog_proto_library)
  cmake_parse_arguments(ARG "GRPC" "NAME" "PROTOS;DEPS" ${ARGN})
  set(proto_root "${PROJECT_SOURCE_DIR}/proto")
  set(out_root "${PROJECT_BINARY_DIR}/proto")
  set(srcs)
  set(grpc_srcs)
  foreach(proto ${ARG_PROTOS})
    get_filename_component(dir "${proto}" DIRECTORY)
    get_filename_component(stem "${proto}" NAME_WE)
    set(base "${out_root}/${dir}/${stem}")
    set(outputs "${base}.pb.cc" "${base}.pb.h")
    set(plugin_args)
    if(ARG_GRPC)
      list(APPEND outputs "${base}.grpc.pb.cc" "${base}.grpc.pb.h")
      list(APPEND grpc_srcs "${base}.grpc.pb.cc" "${base}.grpc.pb.h")
      set(plugin_args --grpc_out=${out_root}
          --plugin=protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>)
    endif()
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${out_root}
      COMMAND protobuf::protoc -I${proto_root} --cpp_out=${out_root} ${plugin_args}
              ${proto_root}/${proto}
      DEPENDS ${proto_root}/${proto} protobuf::protoc
      COMMENT "protoc ${proto}"
      VERBATIM)
    list(APPEND srcs "${base}.pb.cc" "${base}.pb.h")
  endforeach()
  add_library(${ARG_NAME} STATIC ${srcs})
  target_include_directories(${ARG_NAME} PUBLIC ${out_root})
  target_link_libraries(${ARG_NAME} PUBLIC protobuf::libprotobuf ${ARG_DEPS})
  if(ARG_GRPC)
    add_library(${ARG_NAME}_grpc STATIC ${grpc_srcs})
    target_link_libraries(${ARG_NAME}_grpc PUBLIC ${ARG_NAME} gRPC::grpc++)
  endif()
endfunction()
