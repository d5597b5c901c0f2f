namespace ChaosModular.UnitTests.Infrastructure;

/// <summary>
/// Makes a race real instead of likely. <see cref="Participants"/> requests (tabs, job runs) race; a participant that
/// reaches the hold point (a decorated service placed between a read and the write it decides: a gateway charge, a
/// save) waits there until every participant is accounted for: arrived at the hold point too, or finished without
/// reaching it (participants are the calls made through <see cref="RunAsync"/>). So no participant can take the sequential path (finding the winner's work already done): whoever
/// is not held ran while the held one was in flight. Once open the hold stays open (a retry passes straight through).
/// A hold that is never completed fails its waiter after <see cref="Timeout"/> with what was missing, and
/// <see cref="AssertRaced"/> fails the test.
/// </summary>
public sealed class RaceHold(int participants, TimeSpan? timeout = null)
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private bool _started;
    private int _arrived;
    private int _finishedWhileClosed;
    private string? _timedOut;

    public int Participants { get; } = participants;

    public TimeSpan Timeout { get; } = timeout ?? TimeSpan.FromSeconds(30);

    /// <summary>Arrivals at the hold point before it opened (each of them was held).</summary>
    public int Held
    {
        get
        {
            lock (_gate)
            {
                return _arrived;
            }
        }
    }

    /// <summary>Participants that finished without reaching the hold point while someone was held or still to come.</summary>
    public int FinishedWhileHeld
    {
        get
        {
            lock (_gate)
            {
                return _finishedWhileClosed;
            }
        }
    }

    /// <summary>
    /// Called at the hold point (by the decorated service): waits until every participant has arrived or finished. Before
    /// the first participant starts (host start-up, demo seeding, the test's set-up) the hold point is passed freely.
    /// </summary>
    public async Task ArriveAsync()
    {
        lock (_gate)
        {
            if (!_started || _open.Task.IsCompleted)
            {
                return;
            }
            _arrived++;
            OpenWhenAllCounted();
        }
        try
        {
            await _open.Task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _timedOut ??= $"The race hold waited {Timeout.TotalSeconds:0} s: of {Participants} participants {_arrived} reached the hold point and {_finishedWhileClosed} finished without it; the others never came.";
            }
            _open.TrySetResult();
            throw new TimeoutException(_timedOut);
        }
    }

    /// <summary>Runs one participant and counts it finished when its answer is back (or it failed).</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> participant)
    {
        lock (_gate)
        {
            _started = true;
        }
        try
        {
            return await participant();
        }
        finally
        {
            lock (_gate)
            {
                if (!_open.Task.IsCompleted)
                {
                    _finishedWhileClosed++;
                    OpenWhenAllCounted();
                }
            }
        }
    }

    /// <summary>
    /// The race happened as designed: the hold opened because everyone was counted (no timeout), <paramref name="held"/>
    /// participants were held at it, and the rest finished while they were held.
    /// </summary>
    public void AssertRaced(int held)
    {
        lock (_gate)
        {
            Assert.True(_timedOut is null, _timedOut);
            Assert.True(_open.Task.IsCompleted, $"The race hold never opened: {_arrived} held, {_finishedWhileClosed} finished of {Participants}.");
            Assert.Equal((held, Participants - held), (_arrived, _finishedWhileClosed));
        }
    }

    private void OpenWhenAllCounted()
    {
        if (_arrived + _finishedWhileClosed >= Participants)
        {
            _open.TrySetResult();
        }
    }
}
