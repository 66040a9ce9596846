"""GPX/TCX read by columns (issue 22): each value found where the point-by-point reader found it.

The reader lists a track's elements by name and gives each to the point that owns it; these files put
the values where writers differ or go wrong, and each assertion says which element a point's value
must come from.
"""

from __future__ import annotations

import math

import numpy as np

from ingest.files import xml

GPX = (
    '<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1" xmlns:a="urn:a" xmlns:b="urn:b">'
    "<trk><name>x</name><trkseg>{}</trkseg></trk></gpx>"
)
TCX = (
    '<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
    'TrainingCenterDatabase/v2" xmlns:x="urn:x"><Activities><Activity Sport="Running">'
    '<Lap StartTime="2024-01-01T06:00:00Z"><Track>{}</Track></Lap></Activity></Activities>'
    "</TrainingCenterDatabase>"
)
T0 = 1704088800.0  # 2024-01-01T06:00:00Z


def point(seconds: int, inner: str, lat: str = "1", lon: str = "2") -> str:
    return f'<trkpt lat="{lat}" lon="{lon}"><time>2024-01-01T06:00:{seconds:02d}Z</time>{inner}</trkpt>'


def read_gpx(*points: str):
    (rec,) = xml.gpx(GPX.format("".join(points)).encode())
    return rec


def test_heart_rate_and_speed_come_from_the_points_extensions_in_order() -> None:
    rec = read_gpx(
        # an hr outside extensions is not read; the first extensions has none; the second has both
        point(0, "<hr>150</hr><extensions><a:q/></extensions>"
              "<extensions><a:x><a:speed>2</a:speed><a:hr>140</a:hr></a:x></extensions>"),
        # 'extensions' before 'Extensions', whatever their order in the file
        point(1, "<Extensions><heartrate>120</heartrate></Extensions>"
              "<extensions><b:heartrate>121</b:heartrate></extensions>"),
        # an hr without text is passed over: the heartrate of the same extensions counts
        point(2, "<extensions><a:heartrate>99</a:heartrate><a:hr></a:hr></extensions>"),
        # hr before heartrate in one extensions, whatever their order
        point(3, "<extensions><a:heartrate>98</a:heartrate><a:hr>97</a:hr></extensions>"),
        # the first hr with a text is the value, even when it is no number
        point(4, "<extensions><a:hr>abc</a:hr><a:hr>96</a:hr></extensions>"),
    )  # fmt: skip
    assert rec.t.tolist() == [T0, T0 + 1, T0 + 2, T0 + 3, T0 + 4]
    assert np.array_equal(rec.hr, [140, 121, 99, 97, np.nan], equal_nan=True)
    assert np.array_equal(rec.speed, [2, np.nan, np.nan, np.nan, np.nan], equal_nan=True)


def test_a_point_inside_another_points_extensions_gives_its_heart_rate_to_both() -> None:
    inner = point(3, "<extensions><a:hr>111</a:hr></extensions>", lat="5", lon="6")
    rec = read_gpx(point(0, f"<extensions>{inner}</extensions>"))
    assert rec.t.tolist() == [T0, T0 + 3]
    assert rec.hr.tolist() == [111, 111]
    assert rec.lat.tolist() == [1, 5]


def test_the_first_time_and_elevation_of_a_point_count_and_points_without_a_time_are_dropped() -> None:
    rec = read_gpx(
        point(0, "<time>2024-01-01T07:00:00Z</time><ele>5</ele><ele>6</ele>"),
        '<trkpt lat="3" lon="4"><time></time><ele>9</ele></trkpt>',
        '<trkpt lat="3" lon="4"><time>2024-02-30T06:00:00Z</time></trkpt>',  # no such day
        '<trkpt lat="3" lon="4"><ele>9</ele></trkpt>',
        point(5, "<ele> 12 </ele>", lat="", lon="x"),
    )
    assert rec.t.tolist() == [T0, T0 + 5]
    assert rec.altitude.tolist() == [5, 12]
    assert rec.lat[0] == 1 and math.isnan(rec.lat[1]) and math.isnan(rec.lon[1])


def test_times_with_an_offset_or_none_keep_their_utc_instant() -> None:
    rec = read_gpx(
        '<trkpt lat="1" lon="2"><time>2024-01-01T08:00:01+02:00</time></trkpt>',
        '<trkpt lat="1" lon="2"><time>2024-01-01T06:00:02.5</time></trkpt>',
        '<trkpt lat="1" lon="2"><time>2024-01-01T06:00:03.250Z</time></trkpt>',
    )
    assert rec.t.tolist() == [T0 + 1, T0 + 2.5, T0 + 3.25]


def test_points_sharing_a_time_give_each_series_its_first_known_value() -> None:
    rec = read_gpx(
        point(0, "<extensions><a:hr>130</a:hr></extensions>", lat="", lon=""),
        point(0, "<ele>7</ele><extensions><a:hr>131</a:hr></extensions>"),
        point(1, ""),
    )
    assert rec.t.tolist() == [T0, T0 + 1]
    assert rec.hr[0] == 130 and rec.altitude[0] == 7 and rec.lat[0] == 1
    assert math.isnan(rec.hr[1])


def test_tcx_heart_rate_and_position_come_from_the_first_element_holding_them() -> None:
    data = TCX.format(
        "<Trackpoint><Time>2024-01-01T06:00:00Z</Time><HeartRateBpm><x:y/></HeartRateBpm>"
        "<HeartRateBpm><Value>140</Value></HeartRateBpm><Position><LongitudeDegrees>5</LongitudeDegrees>"
        "</Position><Position><LatitudeDegrees>1</LatitudeDegrees></Position>"
        "<Extensions><x:TPX><x:Speed>3.5</x:Speed></x:TPX></Extensions></Trackpoint>"
        "<Trackpoint><Time>2024-01-01T06:00:01Z</Time><HeartRateBpm><Value>0</Value></HeartRateBpm>"
        "<AltitudeMeters>10</AltitudeMeters><AltitudeMeters>11</AltitudeMeters></Trackpoint>"
    ).encode()
    (rec,) = xml.tcx(data)
    assert rec.t.tolist() == [T0, T0 + 1]
    assert np.array_equal(rec.hr, [140, np.nan], equal_nan=True)  # 0 is no heart rate
    assert math.isnan(rec.lat[0]) and rec.lon[0] == 5  # the first Position only
    assert np.array_equal(rec.speed, [3.5, np.nan], equal_nan=True)
    assert np.array_equal(rec.altitude, [np.nan, 10], equal_nan=True)
