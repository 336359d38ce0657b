package dev.tasker.worker.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The mapper the SDK uses to convert handler outputs and typed views of JSON. */
public final class WorkerJson {

  /** Thread-safe; never reconfigured after creation. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .findAndAddModules()
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private WorkerJson() {}
}
