namespace ChaosModular.E2E.Harness;

/// <summary>
/// Polling for what a background job changes: the browser cannot be told when the Worker is done, so the journey
/// looks again (reloads, re-reads) until the user would see the result or the time is up.
/// </summary>
public static class Eventually
{
    /// <param name="check">Looks once; true when the expected state is there.</param>
    /// <param name="description">What was awaited, for the timeout message.</param>
    public static async Task HappensAsync(Func<Task<bool>> check, string description, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var deadline = DateTime.UtcNow + limit;
        while (!await check())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within {limit.TotalSeconds:0} s: {description}.");
            }
            await Task.Delay(500);
        }
    }
}
