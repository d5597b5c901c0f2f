// Hangfire keeps process-wide statics (GlobalConfiguration, the job activator); test classes that
// host the portal therefore run one at a time so no host runs another host's jobs.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
