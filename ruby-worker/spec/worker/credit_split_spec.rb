# frozen_string_literal: true

RSpec.describe Tasker::Worker::Internal::CreditSplit do
  it "splits the credit evenly, the remainder to the first session" do
    expect(described_class.shares(10, 3)).to eq([4, 3, 3])
    expect(described_class.shares(16, 2)).to eq([8, 8])
    expect(described_class.shares(7, 0)).to eq([])
  end

  it "leaves sessions at 0 when the credit is smaller than the sessions, and always adds up to it" do
    expect(described_class.shares(2, 3)).to eq([2, 0, 0])
    (0..30).each do |total|
      (1..6).each { |n| expect(described_class.shares(total, n).sum).to eq(total) }
    end
  end

  it "announces at least 1 in HELLO" do
    expect(described_class.hello_share(16, 2)).to eq(8)
    expect(described_class.hello_share(1, 3)).to eq(1)
  end

  it "tells lowered sessions before raised ones, so the credit granted never exceeds the total" do
    expect(described_class.changes([0, 8, 8], [6, 5, 5])).to eq([[1, 5], [2, 5], [0, 6]])
    expect(described_class.changes([4, 4], [4, 4])).to eq([])

    total = 11
    credits = [total]
    ((2..5).to_a + (1..4).to_a.reverse).each do |n|
      n > credits.size ? credits << 0 : credits.pop
      target = described_class.shares(total, n)
      described_class.changes(credits, target).each do |index, credit|
        credits[index] = credit
        expect(credits.sum).to be <= total
      end
      expect(credits).to eq(target)
    end
  end
end
