using ZAi.PowerShell.Waiting;
using Xunit;

namespace ZAi.PowerShell.Tests;

public class PollScheduleTests
{
    private const double AlmostOne = 0.999999999;

    [Theory]
    [InlineData(1, 5.0)]
    [InlineData(2, 7.5)]
    [InlineData(3, 11.25)]
    [InlineData(4, 16.875)]
    [InlineData(5, 25.3125)]
    [InlineData(6, 30.0)]
    [InlineData(7, 30.0)]
    [InlineData(100, 30.0)]
    [InlineData(int.MaxValue, 30.0)]
    public void NominalGrowsByHalfEachPollUpToTheCap(int pollsDone, double seconds)
    {
        var schedule = new PollSchedule(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(seconds), schedule.Nominal(pollsDone));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void NominalBeforeTheFirstPollIsTheFirstInterval(int pollsDone)
    {
        var schedule = new PollSchedule(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(2), schedule.Nominal(pollsDone));
    }

    [Fact]
    public void GrowthAndJitterConstantsAreTheDocumentedOnes()
    {
        Assert.Equal(1.5, PollSchedule.Growth);
        Assert.Equal(0.1, PollSchedule.Jitter);
    }

    [Fact]
    public void NominalNeverShrinksAndNeverExceedsTheCap()
    {
        var schedule = new PollSchedule(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(45));
        var previous = TimeSpan.Zero;
        for (var polls = 1; polls < 200; polls++)
        {
            var nominal = schedule.Nominal(polls);
            Assert.True(nominal >= previous, $"poll {polls}: {nominal} < {previous}");
            Assert.True(nominal <= schedule.Max, $"poll {polls}: {nominal} over the cap");
            previous = nominal;
        }
        Assert.Equal(schedule.Max, previous);
    }

    [Fact]
    public void FirstAndMaxAreKept()
    {
        var schedule = new PollSchedule(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(40));

        Assert.Equal(TimeSpan.FromSeconds(3), schedule.First);
        Assert.Equal(TimeSpan.FromSeconds(40), schedule.Max);
    }

    [Fact]
    public void MaxBelowFirstIsRaisedToFirstSoIntervalsStayConstant()
    {
        var schedule = new PollSchedule(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2));

        Assert.Equal(TimeSpan.FromSeconds(10), schedule.Max);
        Assert.Equal(TimeSpan.FromSeconds(10), schedule.Nominal(1));
        Assert.Equal(TimeSpan.FromSeconds(10), schedule.Nominal(5));
    }

    [Fact]
    public void EqualFirstAndMaxGiveAConstantInterval()
    {
        var schedule = new PollSchedule(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4));

        for (var polls = 1; polls < 10; polls++)
        {
            Assert.Equal(TimeSpan.FromSeconds(4), schedule.Nominal(polls));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void NonPositiveFirstIntervalIsRejected(int ticks)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PollSchedule(TimeSpan.FromTicks(ticks), TimeSpan.FromSeconds(30)));

        Assert.Equal("first", error.ParamName);
    }

    [Fact]
    public void SmallestPositiveFirstIntervalIsAccepted()
    {
        var schedule = new PollSchedule(TimeSpan.FromTicks(1), TimeSpan.FromTicks(1));

        Assert.Equal(TimeSpan.FromTicks(1), schedule.Nominal(1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(20)]
    public void NextWithoutJitterIsNominal(int pollsDone)
    {
        var schedule = new PollSchedule(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));

        Assert.Equal(schedule.Nominal(pollsDone), schedule.Next(pollsDone, 0));
    }

    [Theory]
    [InlineData(1, 0.5, 4.75)]
    [InlineData(2, 0.5, 7.125)]
    [InlineData(1, 0.25, 4.875)]
    [InlineData(10, 0.5, 28.5)]
    public void NextShortensByTheJitterFraction(int pollsDone, double unitRandom, double seconds)
    {
        var schedule = new PollSchedule(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(seconds), schedule.Next(pollsDone, unitRandom));
    }

    [Fact]
    public void NextStaysBetweenNinetyPercentOfNominalAndNominal()
    {
        var schedule = new PollSchedule(TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(30));
        var random = new Random(12345);
        for (var polls = 1; polls < 40; polls++)
        {
            var nominal = schedule.Nominal(polls);
            foreach (var unit in new[] { 0.0, AlmostOne, random.NextDouble(), random.NextDouble(), random.NextDouble() })
            {
                var next = schedule.Next(polls, unit);
                Assert.True(next <= nominal, $"poll {polls}, unit {unit}: {next} > {nominal}");
                Assert.True(next <= schedule.Max, $"poll {polls}, unit {unit}: {next} over the cap");
                Assert.True(next.Ticks >= (long)(nominal.Ticks * 0.9), $"poll {polls}, unit {unit}: {next} < 90% of {nominal}");
                Assert.True(next > TimeSpan.Zero);
            }
        }
    }

    [Fact]
    public void NextAtTheTopOfTheJitterRangeIsAlmostNinetyPercent()
    {
        var schedule = new PollSchedule(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));

        Assert.Equal(9.0, schedule.Next(1, AlmostOne).TotalSeconds, 6);
    }
}
