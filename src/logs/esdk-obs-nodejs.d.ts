/** The part of esdk-obs-nodejs (which ships no types) that the log reader uses. */
declare module 'esdk-obs-nodejs' {
  interface ObsClientOptions {
    access_key_id: string;
    secret_access_key: string;
    security_token?: string;
    server: string;
    path_style?: boolean;
    /** Seconds. */
    timeout?: number;
    max_retry_count?: number;
  }
  interface ObsAnswer<T> {
    CommonMsg: { Status: number; Code?: string; Message?: string };
    InterfaceResult?: T;
  }
  class ObsClient {
    constructor(options: ObsClientOptions);
    getObjectMetadata(params: {
      Bucket: string;
      Key: string;
    }): Promise<ObsAnswer<{ ContentLength?: string }>>;
    getObject(params: {
      Bucket: string;
      Key: string;
      Range?: string;
      SaveAsStream?: boolean;
    }): Promise<ObsAnswer<{ Content?: NodeJS.ReadableStream & { destroy(): void } }>>;
    close(): void;
  }
  export = ObsClient;
}
