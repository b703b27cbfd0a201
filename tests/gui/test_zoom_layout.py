"""Text size and layout (issue 12 #2, #3): back at 100% the list is as wide as before, and that
is what is saved; at 200% on 1280×800 the pane still shows what matters."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

RITUXME = "rituxme-phase3-rct"


def test_stepping_to_200_percent_and_back_restores_the_list_width(make_window, qtbot, store):
    from desktop import settings

    window = make_window(RITUXME)
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    window.splitter.setSizes([430, 850])
    QApplication.processEvents()
    left = window.splitter.sizes()[0]
    for _ in range(5):  # 110, 125, 150, 175, 200, each step by the keys
        window.zoom.zoom_in()
    assert window.zoom.percent == 200
    for _ in range(5):
        window.zoom.zoom_out()
    assert window.zoom.percent == 100
    assert abs(window.splitter.sizes()[0] - left) <= 3
    window.zoom.set_percent(250)
    window.zoom.reset()  # Ctrl+0 from the largest size
    assert abs(window.splitter.sizes()[0] - left) <= 3
    window.save_layout()
    window.splitter.restoreState(settings.read(store, settings.SPLITTER_STATE))
    assert abs(window.splitter.sizes()[0] - left) <= 3


def test_a_width_the_user_chose_is_kept_through_zooming(make_window, qtbot):
    window = make_window(RITUXME)
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    window.zoom.set_percent(200)
    window.splitter.moveSplitter(500, 1)  # the user drags the handle at 200%
    QApplication.processEvents()
    dragged = window.splitter.sizes()[0]
    window.zoom.set_percent(100)
    assert abs(window.splitter.sizes()[0] - dragged / 2) <= 3 or window.splitter.sizes()[0] >= 240
    window.zoom.set_percent(200)
    assert abs(window.splitter.sizes()[0] - dragged) <= 3
