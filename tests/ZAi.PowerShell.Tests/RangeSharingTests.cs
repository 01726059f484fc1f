using Xunit;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>
/// Which connection writes which bytes of a ranged download, and when an idle connection takes over part of a slow
/// range: in virtual time, so "slow" is decided by the rates the clock shows, never by how busy the machine is.
/// </summary>
public sealed class RangeSharingTests
{
    private const long Range = 1_000_000;
    private static readonly ResplitRules Rules = new(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), 65_536);

    private readonly ManualClock _clock = new();
    private readonly RangeLedger _ledger = new(new PartialRecord("\"v1\"", "video/mp4", 4 * Range), RangePlanner.Plan(4 * Range, 4, minimumRange: Range));
    private readonly RangeSharing _sharing;

    public RangeSharingTests()
    {
        _sharing = new RangeSharing(_ledger, _clock, Rules);
    }

    /// <summary>Reads and writes <paramref name="bytes"/> of range <paramref name="index"/> for a connection, as the copier does.</summary>
    private long Receive(int connection, int index, long bytes)
    {
        var allowed = _sharing.Allow(connection, index, bytes);
        if (allowed > 0) _ledger.Advance(index, allowed);
        return allowed;
    }

    /// <summary>Connections 1-4 take the four ranges (connection n gets range 4-n); connection 2 finishes range 2 in 0.1 s.</summary>
    /// <remarks>So connection 1 holds range 3, connection 3 range 1 and connection 4 range 0.</remarks>
    private void FourConnectionsOneDone()
    {
        for (var connection = 1; connection <= 4; connection++) Assert.True(_sharing.TryClaimFree(connection, out _));
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(Range, Receive(2, 2, Range));
        _sharing.Release(2, 2);
    }

    [Fact]
    public void FreeRangesGoFurthestIntoTheFileFirstAndAStreamGoesOnWhereItStands()
    {
        Assert.True(_sharing.TryClaimFree(1, out var first));
        Assert.True(_sharing.TryClaimFree(2, out var second));
        Assert.Equal(new[] { 3, 2 }, new[] { first, second });
        Assert.True(_sharing.TryClaimAt(3, 0, out var atStart));
        Assert.Equal(0, atStart);
        Assert.False(_sharing.TryClaimAt(4, 2 * Range, out _)); // taken already
        Assert.Equal(1, _sharing.Unclaimed);
    }

    [Fact]
    public void ASlowRangeIsSplitWhereBothConnectionsWouldFinishTogether()
    {
        FourConnectionsOneDone(); // connection 2 got 10 000 000 bytes/s
        Receive(1, 3, Range);
        Receive(3, 1, Range);
        Receive(4, 0, 100_000);   // connection 4, on range 0, gets 100 000 bytes/s
        _clock.Advance(TimeSpan.FromSeconds(0.9));

        var handover = _sharing.TryTakeOver(2);

        Assert.NotNull(handover);
        // 900 000 bytes left; the slow one keeps 900 000 x 0.1 / (0.1 + 10) = 8 910 of them.
        Assert.Equal(108_910, handover!.Start);
        Assert.Equal(Range, handover.End);
        Assert.Equal(0, handover.From);
        Assert.Equal(4, handover.Victim);
        Assert.False(handover.VictimStops);
        Assert.Equal(9, handover.VictimSecondsLeft, 3);
        Assert.Equal(new ByteRange(0, 108_910, 100_000), _ledger[0]);
        Assert.Equal(new ByteRange(108_910, Range - 108_910, 0), _ledger[handover.Index]);
        // The slow connection writes up to its new end and no further; the idle one owns the rest.
        Assert.Equal(8_910, _sharing.Allow(4, 0, 500_000));
        Assert.Equal(0, _sharing.Allow(4, handover.Index, 10));
        Assert.Equal(10, _sharing.Allow(2, handover.Index, 10));
    }

    [Fact]
    public void NoRangeIsJudgedBeforeItHasRunForTheRateWindow()
    {
        FourConnectionsOneDone();
        _clock.Advance(TimeSpan.FromSeconds(0.39)); // the others have run 0.49 s

        Assert.Null(_sharing.TryTakeOver(2));

        _clock.Advance(TimeSpan.FromSeconds(0.01));
        Assert.NotNull(_sharing.TryTakeOver(2));
    }

    [Fact]
    public void ARangeThatFinishesWithinASecondAtItsRateIsLeftAlone()
    {
        FourConnectionsOneDone();
        Receive(4, 0, 600_000);
        Receive(1, 3, 600_000);
        Receive(3, 1, 600_000);
        _clock.Advance(TimeSpan.FromSeconds(0.5)); // 1 000 000 bytes/s each: 400 000 left is 0.4 s

        Assert.Null(_sharing.TryTakeOver(2));
    }

    [Fact]
    public void TheRangeThatWouldTakeLongestIsTheOneTakenOver()
    {
        FourConnectionsOneDone();
        Receive(4, 0, 300_000);
        Receive(1, 3, 100_000);
        Receive(3, 1, 200_000);
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(3, _sharing.TryTakeOver(2)!.From); // 9 s left, against 4 s and 2.3 s
    }

    [Fact]
    public void AConnectionThatGotNothingGivesUpItsWholeRangeAndStops()
    {
        FourConnectionsOneDone();
        Receive(1, 3, Range);
        Receive(3, 1, Range);
        _clock.Advance(TimeSpan.FromSeconds(1)); // connection 4 has nothing after 1 s

        var handover = _sharing.TryTakeOver(2);

        Assert.NotNull(handover);
        Assert.Equal(0, handover!.Index);
        Assert.True(handover.VictimStops);
        Assert.True(double.IsPositiveInfinity(handover.VictimSecondsLeft));
        Assert.Equal(4, _ledger.Count);                 // nothing split: the range changed hands
        Assert.Equal(0, _sharing.Allow(4, 0, 100));     // the stalled connection may not write a byte of it
        Assert.Equal(100, _sharing.Allow(2, 0, 100));
    }

    [Fact]
    public void AConnectionThatStalledAfterSomeBytesKeepsThemAndStops()
    {
        FourConnectionsOneDone();
        Receive(1, 3, Range);
        Receive(3, 1, Range);
        Receive(4, 0, 65_536);
        _clock.Advance(TimeSpan.FromSeconds(60)); // then nothing for a minute: 65 536 / 60 bytes/s

        var handover = _sharing.TryTakeOver(2)!;

        Assert.Equal(0, handover.From);
        // It keeps what it would get at 65 536 / 60.1 bytes/s while the other fetches the rest at 10 000 000:
        // 934 464 x 1 090.4 / (1 090.4 + 10 000 000) = 101 bytes.
        Assert.Equal(65_536 + 101, handover.Start);
        Assert.Equal(new ByteRange(0, 65_637, 65_536), _ledger[0]);
    }

    [Fact]
    public void APieceBelowTheMinimumIsNotSplitOff()
    {
        FourConnectionsOneDone();
        Receive(1, 3, Range);
        Receive(3, 1, Range);
        Receive(4, 0, Range - 60_000);
        _clock.Advance(TimeSpan.FromSeconds(100)); // 9 390 bytes/s: 60 000 left is 6.4 s, but the piece would be under 65 536

        Assert.Null(_sharing.TryTakeOver(2));
    }

    [Fact]
    public void AConnectionThatHasNotFinishedARangeTakesNothingOver()
    {
        FourConnectionsOneDone();
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Null(_sharing.TryTakeOver(1));    // still on its own range
        Assert.Null(_sharing.TryTakeOver(9));    // never finished one
        _sharing.Leave(2);
        Assert.Null(_sharing.TryTakeOver(2));    // left: a stopped connection does not come back for more
    }

    [Fact]
    public void AFailedRangeIsNotHandedOutAgainInTheSameAttempt()
    {
        Assert.True(_sharing.TryClaimFree(1, out var index));
        var changed = _sharing.Changed;
        Receive(1, index, 10);

        _sharing.Release(1, index);

        Assert.True(changed.IsCompleted);
        Assert.Equal(3, _sharing.Unclaimed);
        Assert.False(_sharing.AnyInProgress);
        for (var connection = 2; connection <= 4; connection++) Assert.True(_sharing.TryClaimFree(connection, out var other) && other != index);
        Assert.False(_sharing.TryClaimFree(5, out _));
    }

    [Fact]
    public void AFullLedgerIsNotSplitFurther()
    {
        var ledger = new RangeLedger(new PartialRecord("\"v1\"", null, RangeLedger.MaxRanges * Range), RangePlanner.Plan(RangeLedger.MaxRanges * Range, RangeLedger.MaxRanges, minimumRange: Range));
        var sharing = new RangeSharing(ledger, _clock, Rules);
        // Connection c holds range 64 - c; all but connection 2's finish, and it gets 100 bytes in 10 s.
        for (var connection = 1; connection <= RangeLedger.MaxRanges; connection++) Assert.True(sharing.TryClaimFree(connection, out _));
        for (var connection = 1; connection <= RangeLedger.MaxRanges; connection++)
        {
            var index = RangeLedger.MaxRanges - connection;
            ledger.Advance(index, sharing.Allow(connection, index, connection == 2 ? 100 : Range));
        }
        sharing.Release(1, RangeLedger.MaxRanges - 1);
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Null(sharing.TryTakeOver(1));
        Assert.Equal(RangeLedger.MaxRanges, ledger.Count);
    }

    [Fact]
    public void ASplitLedgerIsSavedInFileOrderAndReadBackWhole()
    {
        FourConnectionsOneDone();
        Receive(1, 3, Range);
        Receive(3, 1, Range);
        Receive(4, 0, 100_000);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var handover = _sharing.TryTakeOver(2)!;
        Receive(2, handover.Index, 1000);

        var read = RangeLedger.Parse(_ledger.Format())!;

        Assert.NotNull(read);
        Assert.Equal(5, read.Count);
        Assert.Equal(new ByteRange(handover.Start, Range - handover.Start, 1000), read[1]);
        Assert.Equal(_ledger.DoneBytes, read.DoneBytes);
    }
}
