namespace ChaosModular.E2E.Pages;

/// <summary>
/// /hangfire/recurring, the support desk's view of the recurring jobs (Hangfire's own dashboard, not a portal
/// page): tick a job and press "Trigger now" to run it at once on the Worker.
/// </summary>
public sealed class HangfireRecurringJobsPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Job(string jobId) => Page.GetByRole(AriaRole.Row).Filter(new() { HasText = jobId });

    public ILocator TriggerNowButton => Page.GetByRole(AriaRole.Button, new() { Name = "Trigger now" });

    public static async Task<HangfireRecurringJobsPage> OpenAsync(IPage page)
    {
        var response = await page.GotoAsync("/hangfire/recurring");
        Assert.True(response?.Status == 200, $"/hangfire/recurring answered {response?.Status}.");
        var jobs = new HangfireRecurringJobsPage(page);
        await Expect(jobs.Page.GetByRole(AriaRole.Heading, new() { Name = "Recurring Jobs" })).ToBeVisibleAsync();
        return jobs;
    }

    /// <summary>Selects the job and presses "Trigger now"; the dashboard enqueues it and reloads.</summary>
    public async Task TriggerNowAsync(string jobId)
    {
        await Expect(Job(jobId)).ToHaveCountAsync(1);
        var checkbox = Job(jobId).GetByRole(AriaRole.Checkbox);
        await checkbox.CheckAsync();
        await TriggerNowButton.ClickAsync();
        // The dashboard reloads the list once the job is enqueued: nothing is selected any more.
        await Expect(checkbox).Not.ToBeCheckedAsync(new() { Timeout = 15_000 });
    }
}
